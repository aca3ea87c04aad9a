"""The database schema (SQLAlchemy Core). Every change here needs an Alembic migration in migrations/.

Natural keys (the platform's own ids) carry UNIQUE constraints: ingest upserts on them, which is what
makes every import idempotent.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from mutuals.storage.types import UTCDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
    }
)

accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("network", String(16), nullable=False),
    Column("handle", String(255), nullable=False),
    Column("platform_id", String(255)),
    Column("display_name", String(255)),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("network", "handle"),
)

persons = Table(
    "persons",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("display_name", String(255)),
    # The identity this person was created for on import; lets ingest create persons set-based.
    Column("seed_identity_id", Integer, unique=True),
    Column("notes", Text),
    Column("custom", JSON),
    Column("created_at", UTCDateTime, nullable=False),
)

identities = Table(
    "identities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", Integer, ForeignKey("persons.id"), index=True),
    Column("network", String(16), nullable=False),
    Column("platform_id", String(255), nullable=False),
    Column("handle", String(255), index=True),
    Column("display_name", String(255)),
    Column("profile", JSON),
    Column("first_seen_at", UTCDateTime),
    Column("last_seen_at", UTCDateTime),
    UniqueConstraint("network", "platform_id"),
)

import_runs = Table(
    "import_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source", String(32), nullable=False),
    Column("path", Text, nullable=False),
    Column("fingerprint", String(64)),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("status", String(16), nullable=False),
    Column("counts", JSON),
    Column("added", JSON),
    Column("problems", JSON),
    Column("notes", JSON),
    Column("message", Text),
)

posts = Table(
    "posts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id"), nullable=False),
    Column("network", String(16), nullable=False),
    Column("platform_id", String(255), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("text", Text, nullable=False, default=""),
    Column("published_at", UTCDateTime, nullable=False),
    Column("url", Text),
    Column("media_types", String(64), nullable=False, default=""),  # comma-separated MediaType values
    Column("in_reply_to", String(255)),
    Column("likes", Integer),
    Column("reposts", Integer),
    Column("replies", Integer),
    Column("quotes", Integer),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("import_run_id", Integer, ForeignKey("import_runs.id")),
    UniqueConstraint("network", "platform_id"),
    Index("ix_posts_account_published", "account_id", "published_at"),
)

interactions = Table(
    "interactions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id"), nullable=False),
    Column("identity_id", Integer, ForeignKey("identities.id")),
    Column("network", String(16), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("direction", String(8), nullable=False),
    Column("occurred_at", UTCDateTime),  # NULL where the export gives no time (X likes)
    # Natural key: the platform's id of the event, or "h:" + a content hash where it has none.
    Column("key", String(255), nullable=False),
    Column("text", Text),
    Column("is_public", Boolean, nullable=False),
    Column("post_ref", String(255)),
    Column("post_id", Integer, ForeignKey("posts.id")),
    Column("in_reply_to", String(255)),
    Column("thread_ref", String(255)),
    Column("target_ref", String(255)),
    Column("extra", JSON),
    Column("sentiment_label", String(16)),
    Column("sentiment_score", Float),
    Column("language", String(16)),
    Column("intents", String(64)),
    Column("import_run_id", Integer, ForeignKey("import_runs.id")),
    UniqueConstraint("account_id", "kind", "key"),
    Index("ix_interactions_identity_occurred", "identity_id", "occurred_at"),
    Index("ix_interactions_account_occurred", "account_id", "occurred_at"),
    Index("ix_interactions_in_reply_to", "in_reply_to"),
    Index("ix_interactions_post_id", "post_id"),
)

follow_snapshots = Table(
    "follow_snapshots",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id"), nullable=False),
    Column("direction", String(16), nullable=False),
    Column("taken_at", UTCDateTime, nullable=False),
    Column("members", Integer, nullable=False),
    Column("import_run_id", Integer, ForeignKey("import_runs.id")),
    UniqueConstraint("account_id", "direction", "taken_at"),
)

# A temporal table: one row per uninterrupted run of "identity follows account" (or the reverse) across
# the snapshots we have seen. Both ends of each change are kept as an interval between two snapshots:
# the follow happened in (valid_from_after, valid_from], the unfollow in (valid_to_after, valid_to].
follow_edges = Table(
    "follow_edges",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id"), nullable=False),
    Column("identity_id", Integer, ForeignKey("identities.id"), nullable=False),
    Column("direction", String(16), nullable=False),
    Column("valid_from", UTCDateTime, nullable=False),  # first snapshot that shows the edge
    Column("valid_from_after", UTCDateTime),  # the snapshot before, without it; NULL: since the baseline
    Column("valid_to", UTCDateTime),  # first later snapshot without it; NULL: still current
    Column("valid_to_after", UTCDateTime),  # last snapshot that shows it
    Column("followed_at", UTCDateTime),  # the export's own follow time, where it gives one
    UniqueConstraint("account_id", "direction", "identity_id", "valid_from", name="uq_follow_edges_run"),
    Index("ix_follow_edges_open", "account_id", "direction", "valid_to"),
    Index("ix_follow_edges_identity", "identity_id"),
)

# Members of the snapshot being applied; rows live only inside the import's transaction.
follow_staging = Table(
    "follow_staging",
    metadata,
    Column("import_run_id", Integer, nullable=False),
    Column("account_id", Integer, nullable=False),
    Column("direction", String(16), nullable=False),
    Column("identity_id", Integer, nullable=False),
    Column("followed_at", UTCDateTime),
    UniqueConstraint(
        "import_run_id", "account_id", "direction", "identity_id", name="uq_follow_staging_member"
    ),
)
