"""Typed settings from ``MUTUALS_*`` environment variables; see docs/configuration.md.

Nothing is read at import time: :func:`get_settings` builds the settings on first call and caches them, and
the CLI's global options pass overrides through :func:`configure`.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from mutuals.errors import ConfigError

APP_NAME = "mutuals"


def _default_home() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


class Settings(BaseSettings):
    """Every setting Mutuals reads. Each field is one ``MUTUALS_<NAME>`` environment variable."""

    model_config = SettingsConfigDict(env_prefix="MUTUALS_", extra="ignore")

    home: Path = Field(default_factory=_default_home, description="Data folder (database, uploads, models).")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL. Default: sqlite:///<MUTUALS_HOME>/mutuals.sqlite3. "
        "Use postgresql+psycopg://user@host/db for PostgreSQL.",
    )
    import_batch_size: int = Field(
        default=5000, ge=1, le=1_000_000, description="Records written per batch during imports."
    )
    inbox_sla_minutes: int = Field(
        default=60, ge=1, le=100_000, description="First-response target, in business minutes."
    )
    inbox_business_hours: str = Field(
        default="00:00-24:00", description="Business hours for the SLA clock, HH:MM-HH:MM local time."
    )
    inbox_business_days: str = Field(
        default="mon-sun", description="Business days for the SLA clock: mon-fri, or a list mon,tue,..."
    )
    inbox_timezone: str = Field(default="UTC", description="Time zone of the business hours (IANA name).")
    people_auto_merge_threshold: float = Field(
        default=0.95,
        ge=0.5,
        le=1.0,
        description="Identity-resolution confidence at or above which people are merged automatically.",
    )
    secret_key: str | None = Field(
        default=None, description="Web app secret (signs CSRF tokens). Default: MUTUALS_HOME/secret_key."
    )
    secret_key_file: Path | None = Field(default=None, description="File holding the web app secret.")
    upload_max_mb: int = Field(default=512, ge=1, le=100_000, description="Largest web upload, in MiB.")
    session_days: int = Field(default=14, ge=1, le=365, description="Days a web sign-in lasts.")

    @field_validator("home", mode="before")
    @classmethod
    def _expand_home(cls, value: Any) -> Any:
        if isinstance(value, str):
            if not value.strip():
                raise ValueError("must not be empty")
            return Path(value).expanduser()
        return value

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'mutuals.sqlite3'}"


_overrides: dict[str, Any] = {}


def configure(**overrides: Any) -> None:
    """Set overrides (from CLI options) that win over the environment, and forget cached settings."""
    _overrides.clear()
    _overrides.update({k: v for k, v in overrides.items() if v is not None})
    get_settings.cache_clear()


@functools.cache
def get_settings() -> Settings:
    try:
        return Settings(**_overrides)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else "?"
        raise ConfigError(
            f"MUTUALS_{field.upper()} is invalid: {err['msg']} (got {err.get('input')!r})"
        ) from None
