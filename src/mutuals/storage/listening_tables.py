"""Listening: themes (recurring concerns), which interactions belong to them, and spike alerts."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Float, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from mutuals.storage.tables import metadata
from mutuals.storage.types import UTCDateTime

# A theme keeps its id across re-clustering: a new cluster takes over the theme whose centre it is
# closest to. ``user_label`` is the user's rename; ``merged_into`` points a merged theme at the theme
# that absorbed it, so clusters that land on it go to the survivor.
listening_themes = Table(
    "listening_themes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("label", String(255), nullable=False),
    Column("user_label", String(255)),
    Column("key_phrases", JSON),
    Column("representative_id", Integer, ForeignKey("interactions.id")),
    Column("centroid", JSON),  # unit-length embedding, a list of 384 floats
    Column("status", String(16), nullable=False),  # active | merged
    Column("merged_into", Integer, ForeignKey("listening_themes.id")),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

# One row per interaction in a theme. source 'user' (moved there by a split) is never overwritten by
# re-clustering; 'auto' rows are recomputed.
listening_theme_members = Table(
    "listening_theme_members",
    metadata,
    Column("interaction_id", Integer, ForeignKey("interactions.id"), primary_key=True),
    Column("theme_id", Integer, ForeignKey("listening_themes.id"), nullable=False),
    Column("similarity", Float),
    Column("source", String(8), nullable=False),
    Column("assigned_at", UTCDateTime, nullable=False),
    Index("ix_listening_theme_members_theme", "theme_id"),
)

listening_alerts = Table(
    "listening_alerts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(32), nullable=False),  # volume | negative_share | theme_people
    Column("subject", String(64), nullable=False),  # "account:3" or "theme:12"
    Column("window_start", UTCDateTime, nullable=False),
    Column("window_end", UTCDateTime, nullable=False),
    Column("current", Float, nullable=False),
    Column("baseline", Float, nullable=False),
    Column("current_count", Integer, nullable=False),
    Column("message", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("kind", "subject", "window_end"),
    Index("ix_listening_alerts_window_end", "window_end"),
)
