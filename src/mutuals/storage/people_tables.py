"""Tables of the people capability (analytics/people/): what users add to a person, and the logs that
make merges undoable.

Every row a user attaches to a person (tag, note, field, cadence, stage override, stage history) carries
``person_id`` and nothing unique across persons, so a merge is only ``UPDATE ... SET person_id`` on each
table and its undo moves exactly the recorded row ids back: no row is ever deleted by a merge.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, Float, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from mutuals.storage.tables import metadata
from mutuals.storage.types import UTCDateTime

person_tags = Table(
    "person_tags",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=False, index=True),
    Column("tag", String(64), nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
)

person_notes = Table(
    "person_notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

# Custom fields: the newest row of a (person, name) is its value; older rows stay (a merge may bring two).
person_fields = Table(
    "person_fields",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=False, index=True),
    Column("name", String(64), nullable=False),
    Column("value", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

# Keep-in-touch cadences: one row per person (person_id set) or per tag (tag set). A person's cadence is
# the shortest of its own rows and those of its tags.
person_cadences = Table(
    "person_cadences",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", Integer, ForeignKey("persons.id"), index=True),
    Column("tag", String(64), index=True),
    Column("days", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

# Manual stage overrides; the newest row of a person wins.
person_stage_overrides = Table(
    "person_stage_overrides",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=False, index=True),
    Column("stage", String(32), nullable=False),
    Column("set_at", UTCDateTime, nullable=False),
)

# Every stage change seen: by the rules when stages are refreshed, or by an override.
person_stage_history = Table(
    "person_stage_history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=False, index=True),
    Column("from_stage", String(32)),
    Column("to_stage", String(32), nullable=False),
    Column("source", String(16), nullable=False),  # "rules" or "override"
    Column("changed_at", UTCDateTime, nullable=False),
)

# The last stage the rules gave each person, to see changes (one row per person).
person_stages = Table(
    "person_stages",
    metadata,
    Column("person_id", Integer, ForeignKey("persons.id"), primary_key=True),
    Column("stage", String(32), nullable=False),
    Column("since", UTCDateTime, nullable=False),
)

# Merges and splits, newest last; undo reverts the newest one not yet undone, using ``payload`` (the ids
# of every row moved).
person_merges = Table(
    "person_merges",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("op", String(16), nullable=False),  # "merge", "auto-merge" or "split"
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=False),  # kept / split from
    Column("other_person_id", Integer, ForeignKey("persons.id"), nullable=False),  # emptied / new
    Column("confidence", JSON),
    Column("payload", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("undone_at", UTCDateTime),
)

# Identity pairs a user split apart: never suggested or auto-merged again.
identity_distinct = Table(
    "identity_distinct",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("identity_id", Integer, ForeignKey("identities.id"), nullable=False),
    Column("other_identity_id", Integer, ForeignKey("identities.id"), nullable=False),
    Column("merge_id", Integer, ForeignKey("person_merges.id"), nullable=False),
    Index("ix_identity_distinct_pair", "identity_id", "other_identity_id"),
)

# Match keys derived from identities (normalised handle, e-mail, name, profile links) for set-based
# candidate search; rebuilt by each resolution run.
identity_keys = Table(
    "identity_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("identity_id", Integer, ForeignKey("identities.id"), nullable=False, index=True),
    Column("match", String(16), nullable=False),  # handle, email, name, token, profile
    Column("role", String(8), nullable=False),  # self, link (profile/handle: seen in a bio), name
    Column("value", String(255), nullable=False),
    UniqueConstraint("identity_id", "match", "role", "value", name="uq_identity_keys_entry"),
    Index("ix_identity_keys_match_value", "match", "value"),
)

# The people list, stored: each person's score, stage, owed and newest contact as of
# ``person_summary_state.computed_for``, so ``people list`` is an indexed ORDER BY ... LIMIT. Kept up to
# date by analytics/people/summary.py (new interactions and people incrementally, the rest when the
# state's fingerprint or age says so). Derived data: dropping every row only costs a recomputation.
person_summary = Table(
    "person_summary",
    metadata,
    Column("person_id", Integer, ForeignKey("persons.id"), primary_key=True),
    Column("score", Float, nullable=False),
    Column("stage", String(32), nullable=False),
    Column("owed", Integer, nullable=False),
    Column("last_at", UTCDateTime),
    Index("ix_person_summary_score", "score", "person_id"),
    Index("ix_person_summary_last_at", "last_at", "person_id"),
    Index("ix_person_summary_owed", "owed", "score"),
    Index("ix_person_summary_stage", "stage", "score"),
)

# One row (id 1): what ``person_summary`` was computed from.
person_summary_state = Table(
    "person_summary_state",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("computed_for", UTCDateTime, nullable=False),  # the "now" of the scores
    Column("interactions_max", Integer, nullable=False),  # newest interaction id included
    Column("persons_max", Integer, nullable=False),  # newest person id included
    Column("fingerprint", String(255), nullable=False),  # follow edges, stage rules
    Column("refreshed_at", UTCDateTime, nullable=False),
)

PERSON_OWNED = (
    person_tags,
    person_notes,
    person_fields,
    person_cadences,
    person_stage_overrides,
    person_stage_history,
)
"""Tables whose rows belong to a person and move with a merge."""
