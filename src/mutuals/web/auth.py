"""Team members, roles, sign-in with throttling, sessions, personal API tokens and CSRF tokens.

Library functions over a Connection: the web app and the CLI (``mutuals users``, ``mutuals tokens``) both
call them. The permission table here is the one documented in docs/web.md.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, delete, func, insert, select, update

from mutuals.config import get_settings
from mutuals.errors import ConfigError, InvalidInputError, MutualsError, NotFoundError
from mutuals.storage import web_tables as w

ROLES = ("admin", "manager", "agent", "viewer")

#: permission -> the roles that have it. docs/web.md shows this table; tests/web checks every route by it.
PERMISSIONS: dict[str, frozenset[str]] = {
    "view": frozenset(ROLES),
    "respond": frozenset({"admin", "manager", "agent"}),
    "import": frozenset({"admin", "manager"}),
    "goals": frozenset({"admin", "manager"}),
    "team": frozenset({"admin"}),
}

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
MIN_PASSWORD = 8
THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_NAME = 5
MAX_FAILURES_PER_REMOTE = 20
TOKEN_PREFIX = "mut_"
TOKEN_TOUCH_EVERY = timedelta(minutes=1)

_hasher = PasswordHasher()


class LoginError(MutualsError):
    """A sign-in was refused (the message never says whether the name exists)."""


class ThrottledError(LoginError):
    """Too many failed sign-ins in a short time."""

    retryable = True


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str

    def can(self, permission: str) -> bool:
        return self.role in PERMISSIONS[permission]

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "role": self.role}


def _now() -> datetime:
    return datetime.now(UTC)


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


# -- users ---------------------------------------------------------------------------------------


def check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInputError(f"role {role!r} is not one of: {', '.join(ROLES)}")
    return role


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InvalidInputError(f"the password is too short: use at least {MIN_PASSWORD} characters")
    return password


def create_user(conn: Connection, name: str, role: str, password: str) -> User:
    name = name.strip()
    if not NAME_RE.match(name):
        raise InvalidInputError(
            f"user name {name!r} is not usable: 1-64 letters, digits and . _ @ -, "
            "starting with a letter or digit"
        )
    check_role(role)
    check_password(password)
    if conn.execute(select(w.users.c.id).where(w.users.c.name == name)).first():
        raise InvalidInputError(f"a user named {name!r} already exists")
    uid = conn.execute(
        insert(w.users)
        .values(name=name, role=role, password_hash=_hasher.hash(password), active=True, created_at=_now())
        .returning(w.users.c.id)
    ).scalar_one()
    return User(int(uid), name, role)


def list_users(conn: Connection) -> list[dict[str, Any]]:
    u = w.users.c
    rows = conn.execute(select(u.id, u.name, u.role, u.active, u.created_at).order_by(u.name)).mappings()
    return [
        {
            "id": r["id"],
            "name": r["name"],
            "role": r["role"],
            "active": bool(r["active"]),
            "created_at": r["created_at"].isoformat(),
        }
        for r in rows
    ]


def get_user(conn: Connection, name: str) -> User:
    row = conn.execute(
        select(w.users.c.id, w.users.c.name, w.users.c.role).where(w.users.c.name == name)
    ).first()
    if row is None:
        raise NotFoundError(f"there is no user named {name!r} (see mutuals users list)")
    return User(int(row.id), row.name, row.role)


def set_role(conn: Connection, name: str, role: str) -> User:
    user = get_user(conn, name)
    check_role(role)
    if user.role == "admin" and role != "admin" and _admin_count(conn) <= 1:
        raise InvalidInputError(f"{name} is the only admin: make someone else admin first")
    conn.execute(update(w.users).where(w.users.c.id == user.id).values(role=role))
    return User(user.id, user.name, role)


def set_active(conn: Connection, name: str, active: bool) -> None:
    user = get_user(conn, name)
    if not active and user.role == "admin" and _admin_count(conn) <= 1:
        raise InvalidInputError(f"{name} is the only admin: make someone else admin first")
    conn.execute(update(w.users).where(w.users.c.id == user.id).values(active=active))
    if not active:
        conn.execute(delete(w.web_sessions).where(w.web_sessions.c.user_id == user.id))


def _admin_count(conn: Connection) -> int:
    u = w.users.c
    q = select(func.count()).select_from(w.users).where(u.role == "admin", u.active.is_(True))
    return int(conn.execute(q).scalar_one())


# -- sign-in and throttling ----------------------------------------------------------------------


def authenticate(conn: Connection, name: str, password: str, remote: str) -> User | None:
    """The user, if ``password`` is theirs, else None; every attempt is recorded (so commit even on
    None), and too many failures in THROTTLE_WINDOW (per name, or per client address) raise
    ThrottledError for a while."""
    name = name.strip()[:64]
    now = _now()
    _check_throttle(conn, name, remote[:64], now)
    u = w.users.c
    row = conn.execute(
        select(u.id, u.name, u.role, u.password_hash).where(u.name == name, u.active.is_(True))
    ).first()
    ok = False
    if row is not None:
        try:
            ok = _hasher.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            ok = False
    conn.execute(insert(w.login_attempts).values(name=name, remote=remote[:64], at=now, succeeded=ok))
    if not ok or row is None:
        return None
    return User(int(row.id), row.name, row.role)


WRONG_LOGIN = "the name or the password is wrong"


def _check_throttle(conn: Connection, name: str, remote: str, now: datetime) -> None:
    a = w.login_attempts.c
    since = now - THROTTLE_WINDOW
    failed = a.succeeded.is_(False)
    by_name = conn.execute(select(func.count()).where(a.name == name, a.at > since, failed)).scalar_one()
    by_remote = conn.execute(
        select(func.count()).where(a.remote == remote, a.at > since, failed)
    ).scalar_one()
    if by_name >= MAX_FAILURES_PER_NAME or by_remote >= MAX_FAILURES_PER_REMOTE:
        minutes = int(THROTTLE_WINDOW.total_seconds() // 60)
        raise ThrottledError(
            f"too many failed sign-ins: wait {minutes} minutes, or ask an admin to reset the password"
        )


def reset_password(conn: Connection, name: str, password: str) -> None:
    user = get_user(conn, name)
    check_password(password)
    conn.execute(update(w.users).where(w.users.c.id == user.id).values(password_hash=_hasher.hash(password)))
    conn.execute(delete(w.web_sessions).where(w.web_sessions.c.user_id == user.id))
    conn.execute(delete(w.login_attempts).where(w.login_attempts.c.name == name))


# -- sessions --------------------------------------------------------------------------------------


def create_session(conn: Connection, user: User) -> str:
    token = secrets.token_urlsafe(32)
    now = _now()
    conn.execute(
        insert(w.web_sessions).values(
            token_hash=_sha256(token),
            user_id=user.id,
            created_at=now,
            expires_at=now + timedelta(days=get_settings().session_days),
        )
    )
    conn.execute(delete(w.web_sessions).where(w.web_sessions.c.expires_at < now))
    return token


def session_user(conn: Connection, token: str) -> User | None:
    s, u = w.web_sessions.c, w.users.c
    row = conn.execute(
        select(u.id, u.name, u.role)
        .select_from(w.web_sessions.join(w.users, s.user_id == u.id))
        .where(s.token_hash == _sha256(token), s.expires_at > _now(), u.active.is_(True))
    ).first()
    return User(int(row.id), row.name, row.role) if row else None


def end_session(conn: Connection, token: str) -> None:
    conn.execute(delete(w.web_sessions).where(w.web_sessions.c.token_hash == _sha256(token)))


# -- personal API tokens ---------------------------------------------------------------------------


def create_token(conn: Connection, name: str, label: str = "script") -> str:
    """A new API token for user ``name``; only its hash is stored, so it is shown once."""
    user = get_user(conn, name)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    conn.execute(
        insert(w.api_tokens).values(
            user_id=user.id, label=label[:64] or "script", token_hash=_sha256(token), created_at=_now()
        )
    )
    return token


def token_user(conn: Connection, token: str) -> User | None:
    t, u = w.api_tokens.c, w.users.c
    digest = _sha256(token)
    row = conn.execute(
        select(u.id, u.name, u.role, t.last_used_at)
        .select_from(w.api_tokens.join(w.users, t.user_id == u.id))
        .where(t.token_hash == digest, u.active.is_(True))
    ).first()
    if row is None:
        return None
    now = _now()
    # At most one write a minute per token: a busy script must not serialise every request on a write.
    if row.last_used_at is None or now - row.last_used_at > TOKEN_TOUCH_EVERY:
        conn.execute(update(w.api_tokens).where(t.token_hash == digest).values(last_used_at=now))
    return User(int(row.id), row.name, row.role)


def list_tokens(conn: Connection, user: User) -> list[dict[str, Any]]:
    t = w.api_tokens.c
    rows = conn.execute(
        select(t.id, t.label, t.created_at, t.last_used_at).where(t.user_id == user.id).order_by(t.id)
    ).mappings()
    return [
        {
            "id": r["id"],
            "label": r["label"],
            "created_at": r["created_at"].isoformat(),
            "last_used_at": r["last_used_at"].isoformat() if r["last_used_at"] else None,
        }
        for r in rows
    ]


def revoke_token(conn: Connection, user: User, token_id: int) -> None:
    t = w.api_tokens.c
    res = conn.execute(delete(w.api_tokens).where(t.id == token_id, t.user_id == user.id))
    if not res.rowcount:
        raise NotFoundError(f"you have no API token number {token_id}")


# -- the secret and CSRF tokens ----------------------------------------------------------------------


def secret_key() -> bytes:
    """MUTUALS_SECRET_KEY_FILE, else MUTUALS_SECRET_KEY, else MUTUALS_HOME/secret_key (created once)."""
    settings = get_settings()
    key = (settings.secret_key_file, settings.secret_key, settings.home)
    cached = _secrets.get(key)
    if cached is None:
        cached = _secrets[key] = _read_secret()
    return cached


_secrets: dict[tuple[Path | None, str | None, Path], bytes] = {}


def _read_secret() -> bytes:
    settings = get_settings()
    if settings.secret_key_file is not None:
        try:
            value = settings.secret_key_file.read_text().strip()
        except OSError as exc:
            raise ConfigError(
                f"MUTUALS_SECRET_KEY_FILE {settings.secret_key_file} cannot be read ({exc.strerror})"
            ) from None
        if not value:
            raise ConfigError(f"MUTUALS_SECRET_KEY_FILE {settings.secret_key_file} is empty")
        return value.encode()
    if settings.secret_key:
        return settings.secret_key.encode()
    return _home_secret(settings.home / "secret_key")


def _home_secret(path: Path) -> bytes:
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48))
        return path.read_text().strip().encode()
    except FileExistsError:  # another worker created it just now
        return path.read_text().strip().encode()
    except OSError as exc:
        raise ConfigError(
            f"cannot create the web secret {path} ({exc.strerror}); set MUTUALS_SECRET_KEY or MUTUALS_HOME"
        ) from None


def csrf_token(secret: bytes, nonce: str) -> str:
    """The token forms must send back: an HMAC of the browser's CSRF cookie (signed double submit)."""
    return hmac.new(secret, nonce.encode(), hashlib.sha256).hexdigest()


def csrf_ok(secret: bytes, nonce: str | None, sent: str | None) -> bool:
    if not nonce or not sent:
        return False
    return hmac.compare_digest(csrf_token(secret, nonce), sent)
