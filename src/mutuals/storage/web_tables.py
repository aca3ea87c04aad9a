"""Tables of the web app: team members, their sign-ins and API tokens, and the team's goals.

These are the team's settings, not workspace data: ``info={"keep_on_wipe": True}`` keeps them when the
workspace is wiped (``mutuals demo --reset``).
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, ForeignKey, Index, Integer, String, Table

from mutuals.storage.tables import metadata
from mutuals.storage.types import UTCDateTime

KEEP = {"keep_on_wipe": True}

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UTCDateTime, nullable=False),
    info=KEEP,
)

# Server-side sessions: the cookie holds a random token, the table only its SHA-256, so a copy of the
# database does not sign anybody in, and signing out (or removing a user) ends the session at once.
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    info=KEEP,
)

# Failed and successful sign-ins, in the database so that every web worker sees the same throttle.
login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False),
    Column("remote", String(64), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("succeeded", Boolean, nullable=False),
    Index("ix_login_attempts_name_at", "name", "at"),
    Index("ix_login_attempts_remote_at", "remote", "at"),
    info=KEEP,
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("label", String(64), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_used_at", UTCDateTime),
    info=KEEP,
)

team_goals = Table(
    "team_goals",
    metadata,
    Column("metric", String(64), primary_key=True),
    Column("target", Float, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("updated_by", String(64)),
    info=KEEP,
)
