"""The batch writer: buffers records and upserts them on their natural keys.

Everything is written through one connection inside the import's transaction; a batch is flushed every
``batch_size`` records so memory stays flat in the size of the export.

The hot path (posts, interactions, follow entries, identities) skips SQLAlchemy's per-row parameter
processing: each batch is one DBAPI ``executemany`` of plain tuples on a hand-written
``INSERT ... ON CONFLICT`` that reads the same on SQLite and PostgreSQL, with values converted by the
columns' own bind processors (so what is stored is exactly what a Core insert would store). That is what
makes a million likes import in seconds (benchmarks/import_throughput.py, docs/benchmarks.md).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, Connection, Table, func, literal, select, tuple_, update

from mutuals.domain import Account, FollowEntry, Identity, Interaction, Post
from mutuals.errors import InvalidInputError
from mutuals.ingest.keys import interaction_key
from mutuals.ingest.upsert import insert_for
from mutuals.storage import tables as t
from mutuals.storage.types import UTCDateTime

_IDENTITY_CACHE_MAX = 500_000
_IN_CHUNK = 400  # (network, platform_id) pairs per IN (...): well under SQLite's variable limit
_SQLITE_CACHE_KIB = 65_536  # page cache during an import: index inserts stay in memory, RSS stays bounded
_s = str.__str__  # the value of a StrEnum member, without the (slow) Enum.value property

_INTERACTION_COLS = (
    "account_id",
    "identity_id",
    "network",
    "kind",
    "direction",
    "occurred_at",
    "key",
    "text",
    "is_public",
    "post_ref",
    "in_reply_to",
    "thread_ref",
    "target_ref",
    "extra",
    "import_run_id",
)
_POST_COLS = (
    "account_id",
    "network",
    "platform_id",
    "kind",
    "text",
    "published_at",
    "url",
    "media_types",
    "in_reply_to",
    "likes",
    "reposts",
    "replies",
    "quotes",
    "deleted",
    "import_run_id",
)
_IDENTITY_COLS = (
    "network",
    "platform_id",
    "handle",
    "display_name",
    "profile",
    "first_seen_at",
    "last_seen_at",
)
_ENTRY_COLS = ("import_run_id", "account_id", "direction", "identity_id", "followed_at")


class _Upsert:
    """One ``INSERT ... ON CONFLICT`` run as a DBAPI executemany of tuples (in the connection's own
    transaction, with SQLAlchemy's error wrapping)."""

    def __init__(
        self, conn: Connection, table: Table, cols: Sequence[str], conflict: Sequence[str], action: str
    ) -> None:
        q = conn.dialect.identifier_preparer.quote
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        self.conn = conn
        self.sql = (
            f"INSERT INTO {q(table.name)} ({', '.join(q(c) for c in cols)}) "
            f"VALUES ({', '.join([mark] * len(cols))}) "
            f"ON CONFLICT ({', '.join(q(c) for c in conflict)}) {action}"
        )

    def run(self, rows: list[tuple[Any, ...]]) -> int:
        if not rows:
            return 0
        return int(self.conn.exec_driver_sql(self.sql, rows).rowcount)


def _updates(conn: Connection, table: Table, plain: Sequence[str], coalesced: Sequence[str]) -> str:
    q = conn.dialect.identifier_preparer.quote
    sets = [f"{q(c)} = excluded.{q(c)}" for c in plain]
    sets += [f"{q(c)} = COALESCE(excluded.{q(c)}, {q(table.name)}.{q(c)})" for c in coalesced]
    return "DO UPDATE SET " + ", ".join(sets)


def _processor(conn: Connection, col: Column[Any]) -> Callable[[Any], Any]:
    proc = col.type._cached_bind_processor(conn.dialect)
    return proc if proc is not None else (lambda v: v)


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Tally:
    posts: int = 0
    interactions: int = 0
    follow_entries: int = 0
    duplicate_entries: int = 0
    identity_ids: set[int] = field(default_factory=set)


class BatchWriter:
    def __init__(self, conn: Connection, run_id: int, batch_size: int) -> None:
        self.conn = conn
        self.run_id = run_id
        self.batch_size = batch_size
        self.tally = Tally()
        self._accounts: dict[tuple[str, str], int] = {}
        self._identity_ids: OrderedDict[tuple[str, str], int] = OrderedDict()
        self._identities: dict[tuple[str, str], Identity] = {}
        self._posts: list[Post] = []
        self._interactions: list[Interaction] = []
        self._entries: list[FollowEntry] = []
        self._pending = 0
        self.newest: datetime | None = None
        self._last_account: Account | None = None
        self._last_account_id = 0
        self._prepare(conn)

    def _prepare(self, conn: Connection) -> None:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql(f"PRAGMA cache_size=-{_SQLITE_CACHE_KIB}")
        i, d = t.interactions.c, t.identities.c
        self._time = _processor(conn, i.occurred_at)
        self._json = _processor(conn, i.extra)
        self._json_none = self._json(None)  # what a Core insert stores for None (JSON 'null')
        as_bool = _processor(conn, i.is_public)
        self._true, self._false = as_bool(True), as_bool(False)
        self._profile = _processor(conn, d.profile)
        self._profile_none = self._profile(None)
        self._ins_interactions = _Upsert(
            conn, t.interactions, _INTERACTION_COLS, ("account_id", "kind", "key"), "DO NOTHING"
        )
        post_update = _updates(conn, t.posts, ["text"], ["likes", "reposts", "replies", "quotes"])
        self._ins_posts = _Upsert(conn, t.posts, _POST_COLS, ("network", "platform_id"), post_update)
        ident_update = _updates(conn, t.identities, [], ["handle", "display_name", "profile"])
        self._ins_identities = _Upsert(
            conn, t.identities, _IDENTITY_COLS, ("network", "platform_id"), ident_update
        )
        self._ins_entries = _Upsert(
            conn,
            t.follow_staging,
            _ENTRY_COLS,
            ("import_run_id", "account_id", "direction", "identity_id"),
            "DO NOTHING",
        )

    def _account_id_fast(self, acc: Account) -> int:
        # Records of one import almost always share one Account object: skip the dict lookup.
        if acc is self._last_account:
            return self._last_account_id
        acc_id = self.account_id(acc)
        self._last_account, self._last_account_id = acc, acc_id
        return acc_id

    # -- buffering -------------------------------------------------------------------------------
    def add_identity(self, ident: Identity) -> None:
        key = (ident.network.value, ident.platform_id)
        old = self._identities.get(key)
        self._identities[key] = ident if old is None else _merge_identity(old, ident)
        self._tick()

    def add_post(self, post: Post) -> None:
        self._posts.append(post)
        self._seen(post.published_at)
        self._tick()

    def add_interaction(self, rec: Interaction) -> None:
        # The hottest call of an import (a million likes): _seen and _tick inlined.
        if rec.identity is not None:
            self._remember(rec.identity)
        self._interactions.append(rec)
        when = rec.occurred_at
        if when is not None and (self.newest is None or when > self.newest):
            self.newest = when
        self._pending += 1
        if self._pending >= self.batch_size:
            self.flush()

    def add_follow_entry(self, entry: FollowEntry) -> None:
        self._remember(entry.identity)
        self._entries.append(entry)
        self._seen(entry.followed_at)
        self._tick()

    def account_id(self, acc: Account) -> int:
        key = (acc.network.value, acc.handle)
        found = self._accounts.get(key)
        if found is not None:
            return found
        if not acc.handle:
            raise InvalidInputError("the export does not say whose it is: name the account with --account")
        stmt = insert_for(self.conn, t.accounts).values(
            network=acc.network.value,
            handle=acc.handle,
            platform_id=acc.platform_id,
            display_name=acc.display_name,
            created_at=_now(),
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["network", "handle"],
            set_={
                "platform_id": func.coalesce(stmt.excluded.platform_id, t.accounts.c.platform_id),
                "display_name": func.coalesce(stmt.excluded.display_name, t.accounts.c.display_name),
            },
        )
        self.conn.execute(stmt)
        acc_id = self.conn.execute(
            select(t.accounts.c.id).where(
                t.accounts.c.network == acc.network.value, t.accounts.c.handle == acc.handle
            )
        ).scalar_one()
        self._accounts[key] = acc_id
        return int(acc_id)

    def _remember(self, ident: Identity) -> None:
        key = (_s(ident.network), ident.platform_id)
        if key in self._identity_ids and ident.handle is None and ident.display_name is None:
            return
        old = self._identities.get(key)
        self._identities[key] = ident if old is None else _merge_identity(old, ident)

    def _seen(self, when: datetime | None) -> None:
        if when is not None and (self.newest is None or when > self.newest):
            self.newest = when

    def _tick(self) -> None:
        self._pending += 1
        if self._pending >= self.batch_size:
            self.flush()

    # -- writing ---------------------------------------------------------------------------------
    def flush(self) -> None:
        if not self._pending:
            return
        self._write_identities()
        self._write_posts()
        self._write_interactions()
        self._write_entries()
        self._pending = 0

    def _write_identities(self) -> None:
        if not self._identities:
            return
        now = self._time(_now())
        tm, prof, prof_none = self._time, self._profile, self._profile_none
        rows = []
        for (net, pid), i in self._identities.items():
            seen = tm(i.seen_at) if i.seen_at is not None else now
            profile = prof_none if i.profile is None else prof(i.profile)
            rows.append((net, pid, i.handle, i.display_name, profile, seen, seen))
        self._ins_identities.run(rows)
        self._resolve(list(self._identities))
        self._identities.clear()

    def _resolve(self, keys: list[tuple[str, str]]) -> None:
        c = t.identities.c
        for i in range(0, len(keys), _IN_CHUNK):
            chunk = keys[i : i + _IN_CHUNK]
            q = select(c.network, c.platform_id, c.id).where(tuple_(c.network, c.platform_id).in_(chunk))
            for net, pid, ident_id in self.conn.execute(q):
                self._identity_ids[(net, pid)] = ident_id
        while len(self._identity_ids) > _IDENTITY_CACHE_MAX:
            self._identity_ids.popitem(last=False)

    def _identity_id(self, ident: Identity) -> int:
        key = (_s(ident.network), ident.platform_id)
        found = self._identity_ids.get(key)
        if found is None:  # evicted from the cache since it was written
            self._resolve([key])
            found = self._identity_ids[key]
        self.tally.identity_ids.add(found)
        return found

    def _write_posts(self) -> None:
        if not self._posts:
            return
        rows: dict[tuple[str, str], tuple[Any, ...]] = {}
        tm, yes, no, run_id = self._time, self._true, self._false, self.run_id
        for p in self._posts:
            net = _s(p.account.network)
            rows[(net, p.platform_id)] = (
                self._account_id_fast(p.account),
                net,
                p.platform_id,
                _s(p.kind),
                p.text,
                tm(p.published_at),
                p.url,
                ",".join(map(_s, p.media_types)),
                p.in_reply_to,
                p.likes,
                p.reposts,
                p.replies,
                p.quotes,
                yes if p.deleted else no,
                run_id,
            )
        self._ins_posts.run(list(rows.values()))
        self.tally.posts += len(self._posts)
        self._posts.clear()

    def _write_interactions(self) -> None:
        if not self._interactions:
            return
        tm, js, js_none, yes, no = self._time, self._json, self._json_none, self._true, self._false
        run_id, ident_id, acc_id_of = self.run_id, self._identity_id, self._account_id_fast
        rows = [
            (
                acc_id_of(r.account),
                ident_id(r.identity) if r.identity is not None else None,
                _s(r.account.network),
                _s(r.kind),
                _s(r.direction),
                tm(r.occurred_at) if r.occurred_at is not None else None,
                r.platform_id or interaction_key(r),
                r.text,
                yes if r.is_public else no,
                r.post_ref,
                r.in_reply_to,
                r.thread_ref,
                r.target_ref,
                js_none if r.extra is None else js(r.extra),
                run_id,
            )
            for r in self._interactions
        ]
        self._ins_interactions.run(rows)
        self.tally.interactions += len(rows)
        self._interactions.clear()

    def _write_entries(self) -> None:
        if not self._entries:
            return
        rows: dict[tuple[int, str, int], tuple[Any, ...]] = {}
        tm = self._time
        for e in self._entries:
            acc_id = self._account_id_fast(e.account)
            ident_id = self._identity_id(e.identity)
            direction = _s(e.direction)
            key = (acc_id, direction, ident_id)
            if key in rows:
                self.tally.duplicate_entries += 1
                continue
            followed = tm(e.followed_at) if e.followed_at is not None else None
            rows[key] = (self.run_id, acc_id, direction, ident_id, followed)
        written = self._ins_entries.run(list(rows.values()))
        if 0 <= written < len(rows):
            self.tally.duplicate_entries += len(rows) - written
        self.tally.follow_entries += len(self._entries)
        self._entries.clear()

    # -- finishing -------------------------------------------------------------------------------
    def finish(self) -> None:
        """Set-based fix-ups after the last batch: link interactions to our posts, give every new
        identity a person."""
        self.flush()
        link_posts(self.conn)
        create_persons(self.conn)


def _merge_identity(old: Identity, new: Identity) -> Identity:
    return Identity(
        network=new.network,
        platform_id=new.platform_id,
        handle=new.handle or old.handle,
        display_name=new.display_name or old.display_name,
        profile=new.profile or old.profile,
        seen_at=new.seen_at or old.seen_at,
    )


def link_posts(conn: Connection) -> None:
    """Point interactions at the post of ours they concern, whichever import brought the post."""
    i, p = t.interactions.c, t.posts.c
    sub = select(p.id).where(p.network == i.network, p.platform_id == i.post_ref).scalar_subquery()
    conn.execute(
        update(t.interactions).where(i.post_id.is_(None), i.post_ref.is_not(None)).values(post_id=sub)
    )


def create_persons(conn: Connection) -> None:
    """One person per identity that has none yet (identity resolution may merge them later)."""
    ic, pc = t.identities.c, t.persons.c
    now = literal(_now(), UTCDateTime())
    conn.execute(
        t.persons.insert().from_select(
            ["display_name", "seed_identity_id", "created_at"],
            select(func.coalesce(ic.display_name, ic.handle, ic.platform_id), ic.id, now).where(
                ic.person_id.is_(None)
            ),
        )
    )
    conn.execute(
        update(t.identities)
        .where(ic.person_id.is_(None))
        .values(person_id=select(pc.id).where(pc.seed_identity_id == ic.id).scalar_subquery())
    )
