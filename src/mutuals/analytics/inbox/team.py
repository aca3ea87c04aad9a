"""The team: people who answer in the inbox (assignees, agents, sign-offs)."""

from __future__ import annotations

import getpass
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from mutuals.errors import InvalidInputError, NotFoundError
from mutuals.storage import inbox_tables as it

ROLES = ("agent", "lead", "admin")
_HANDLE = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")


@dataclass(frozen=True)
class Member:
    id: int
    handle: str
    name: str
    sign_off: str | None
    role: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "handle": self.handle,
            "name": self.name,
            "sign_off": self.sign_off,
            "role": self.role,
        }


def add_member(
    conn: Connection, handle: str, name: str, *, sign_off: str | None = None, role: str = "agent"
) -> Member:
    handle = handle.strip().lstrip("@")
    if not _HANDLE.match(handle):
        raise InvalidInputError(f"team member handle {handle!r} may hold only letters, digits, _ . -")
    if not name.strip():
        raise InvalidInputError("a team member needs a name (--name)")
    if role not in ROLES:
        raise InvalidInputError(f"--role {role!r} is not one of {', '.join(ROLES)}")
    if _find(conn, handle) is not None:
        raise InvalidInputError(f"there is already a team member {handle!r}")
    conn.execute(
        it.team_members.insert().values(
            handle=handle,
            name=name.strip(),
            sign_off=(sign_off or "").strip() or None,
            role=role,
            created_at=datetime.now(UTC),
        )
    )
    found = _find(conn, handle)
    assert found is not None
    return found


def members(conn: Connection) -> list[Member]:
    m = it.team_members.c
    rows = conn.execute(select(m.id, m.handle, m.name, m.sign_off, m.role).order_by(m.handle))
    return [Member(*row) for row in rows]


def _find(conn: Connection, handle: str) -> Member | None:
    m = it.team_members.c
    row = conn.execute(
        select(m.id, m.handle, m.name, m.sign_off, m.role).where(
            func.lower(m.handle) == handle.strip().lstrip("@").lower()
        )
    ).first()
    return Member(*row) if row else None


def member(conn: Connection, handle: str) -> Member:
    """The team member called ``handle``, or a one-line error saying how to add one."""
    found = _find(conn, handle)
    if found is None:
        raise NotFoundError(
            f"there is no team member {handle!r} (see mutuals inbox team list; "
            "add one with mutuals inbox team add)"
        )
    return found


def actor(conn: Connection, as_member: str | None) -> tuple[str, Member | None]:
    """Who is acting: the member named with --as, else the operating-system user (``local:NAME``)."""
    if as_member:
        m = member(conn, as_member)
        return m.handle, m
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"local:{user}", None
