"""The batch writer: buffers records and upserts them on their natural keys.

Everything is written through one connection inside the import's transaction; a batch is flushed every
``batch_size`` records so memory stays flat in the size of the export.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, literal, select, tuple_, update

from mutuals.domain import Account, FollowEntry, Identity, Interaction, Post
from mutuals.errors import InvalidInputError
from mutuals.ingest.keys import interaction_key
from mutuals.ingest.upsert import insert_for
from mutuals.storage import tables as t
from mutuals.storage.types import UTCDateTime, to_db_time

_IDENTITY_CACHE_MAX = 500_000
_IN_CHUNK = 400  # (network, platform_id) pairs per IN (...): well under SQLite's variable limit


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
        if rec.identity is not None:
            self._remember(rec.identity)
        self._interactions.append(rec)
        self._seen(rec.occurred_at)
        self._tick()

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
        key = (ident.network.value, ident.platform_id)
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
        now = to_db_time(_now())
        rows = [
            {
                "network": net,
                "platform_id": pid,
                "handle": i.handle,
                "display_name": i.display_name,
                "profile": i.profile,
                "first_seen_at": to_db_time(i.seen_at) or now,
                "last_seen_at": to_db_time(i.seen_at) or now,
            }
            for (net, pid), i in self._identities.items()
        ]
        stmt = insert_for(self.conn, t.identities)
        c = t.identities.c
        stmt = stmt.on_conflict_do_update(
            index_elements=["network", "platform_id"],
            set_={
                "handle": func.coalesce(stmt.excluded.handle, c.handle),
                "display_name": func.coalesce(stmt.excluded.display_name, c.display_name),
                "profile": func.coalesce(stmt.excluded.profile, c.profile),
            },
        )
        self.conn.execute(stmt, rows)
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
        key = (ident.network.value, ident.platform_id)
        found = self._identity_ids.get(key)
        if found is None:  # evicted from the cache since it was written
            self._resolve([key])
            found = self._identity_ids[key]
        self.tally.identity_ids.add(found)
        return found

    def _write_posts(self) -> None:
        if not self._posts:
            return
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        for p in self._posts:
            rows[(p.account.network.value, p.platform_id)] = {
                "account_id": self.account_id(p.account),
                "network": p.account.network.value,
                "platform_id": p.platform_id,
                "kind": p.kind.value,
                "text": p.text,
                "published_at": to_db_time(p.published_at),
                "url": p.url,
                "media_types": ",".join(m.value for m in p.media_types),
                "in_reply_to": p.in_reply_to,
                "likes": p.likes,
                "reposts": p.reposts,
                "replies": p.replies,
                "quotes": p.quotes,
                "deleted": p.deleted,
                "import_run_id": self.run_id,
            }
        stmt = insert_for(self.conn, t.posts)
        c = t.posts.c
        stmt = stmt.on_conflict_do_update(
            index_elements=["network", "platform_id"],
            set_={
                "text": stmt.excluded.text,
                "likes": func.coalesce(stmt.excluded.likes, c.likes),
                "reposts": func.coalesce(stmt.excluded.reposts, c.reposts),
                "replies": func.coalesce(stmt.excluded.replies, c.replies),
                "quotes": func.coalesce(stmt.excluded.quotes, c.quotes),
            },
        )
        self.conn.execute(stmt, list(rows.values()))
        self.tally.posts += len(self._posts)
        self._posts.clear()

    def _write_interactions(self) -> None:
        if not self._interactions:
            return
        rows = []
        for r in self._interactions:
            rows.append(
                {
                    "account_id": self.account_id(r.account),
                    "identity_id": self._identity_id(r.identity) if r.identity else None,
                    "network": r.account.network.value,
                    "kind": r.kind.value,
                    "direction": r.direction.value,
                    "occurred_at": to_db_time(r.occurred_at),
                    "key": interaction_key(r),
                    "text": r.text,
                    "is_public": r.is_public,
                    "post_ref": r.post_ref,
                    "in_reply_to": r.in_reply_to,
                    "thread_ref": r.thread_ref,
                    "target_ref": r.target_ref,
                    "extra": r.extra,
                    "import_run_id": self.run_id,
                }
            )
        stmt = insert_for(self.conn, t.interactions).on_conflict_do_nothing(
            index_elements=["account_id", "kind", "key"]
        )
        self.conn.execute(stmt, rows)
        self.tally.interactions += len(rows)
        self._interactions.clear()

    def _write_entries(self) -> None:
        if not self._entries:
            return
        rows: dict[tuple[int, str, int], dict[str, Any]] = {}
        for e in self._entries:
            acc_id = self.account_id(e.account)
            ident_id = self._identity_id(e.identity)
            key = (acc_id, e.direction.value, ident_id)
            if key in rows:
                self.tally.duplicate_entries += 1
                continue
            rows[key] = {
                "import_run_id": self.run_id,
                "account_id": acc_id,
                "direction": e.direction.value,
                "identity_id": ident_id,
                "followed_at": to_db_time(e.followed_at),
            }
        stmt = insert_for(self.conn, t.follow_staging).on_conflict_do_nothing(
            index_elements=["import_run_id", "account_id", "direction", "identity_id"]
        )
        result = self.conn.execute(stmt, list(rows.values()))
        if result.rowcount is not None and 0 <= result.rowcount < len(rows):
            self.tally.duplicate_entries += len(rows) - result.rowcount
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
