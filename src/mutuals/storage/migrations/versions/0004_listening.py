"""listening: themes, theme members, spike alerts

Revision ID: 0004_listening
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import mutuals.storage.types

revision = "0004_listening"
down_revision = "0001"
branch_labels = None
depends_on = None

_T = mutuals.storage.types.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "listening_themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=255), nullable=False),
        sa.Column("user_label", sa.String(length=255), nullable=True),
        sa.Column("key_phrases", sa.JSON(), nullable=True),
        sa.Column("representative_id", sa.Integer(), nullable=True),
        sa.Column("centroid", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("merged_into", sa.Integer(), nullable=True),
        sa.Column("created_at", _T(), nullable=False),
        sa.Column("updated_at", _T(), nullable=False),
        sa.ForeignKeyConstraint(
            ["merged_into"],
            ["listening_themes.id"],
            name=op.f("fk_listening_themes_merged_into_listening_themes"),
        ),
        sa.ForeignKeyConstraint(
            ["representative_id"],
            ["interactions.id"],
            name=op.f("fk_listening_themes_representative_id_interactions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_listening_themes")),
    )
    op.create_table(
        "listening_theme_members",
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=True),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("assigned_at", _T(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_listening_theme_members_interaction_id_interactions"),
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["listening_themes.id"],
            name=op.f("fk_listening_theme_members_theme_id_listening_themes"),
        ),
        sa.PrimaryKeyConstraint("interaction_id", name=op.f("pk_listening_theme_members")),
    )
    op.create_index("ix_listening_theme_members_theme", "listening_theme_members", ["theme_id"], unique=False)
    op.create_table(
        "listening_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("window_start", _T(), nullable=False),
        sa.Column("window_end", _T(), nullable=False),
        sa.Column("current", sa.Float(), nullable=False),
        sa.Column("baseline", sa.Float(), nullable=False),
        sa.Column("current_count", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", _T(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_listening_alerts")),
        sa.UniqueConstraint(
            "kind", "subject", "window_end", name=op.f("uq_listening_alerts_kind_subject_window_end")
        ),
    )
    op.create_index("ix_listening_alerts_window_end", "listening_alerts", ["window_end"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_listening_alerts_window_end", table_name="listening_alerts")
    op.drop_table("listening_alerts")
    op.drop_index("ix_listening_theme_members_theme", table_name="listening_theme_members")
    op.drop_table("listening_theme_members")
    op.drop_table("listening_themes")
