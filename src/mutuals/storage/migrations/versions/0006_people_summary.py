"""people: the stored people list (person_summary) and what it was computed from

Revision ID: 0006_people_summary
Revises: 0002_people
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import mutuals.storage.types

revision = "0006_people_summary"
down_revision = "0002_people"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person_summary",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("owed", sa.Integer(), nullable=False),
        sa.Column("last_at", mutuals.storage.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_person_summary_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_person_summary")),
    )
    op.create_index("ix_person_summary_score", "person_summary", ["score", "person_id"], unique=False)
    op.create_index("ix_person_summary_last_at", "person_summary", ["last_at", "person_id"], unique=False)
    op.create_index("ix_person_summary_owed", "person_summary", ["owed", "score"], unique=False)
    op.create_index("ix_person_summary_stage", "person_summary", ["stage", "score"], unique=False)
    op.create_table(
        "person_summary_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("computed_for", mutuals.storage.types.UTCDateTime(), nullable=False),
        sa.Column("interactions_max", sa.Integer(), nullable=False),
        sa.Column("persons_max", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=255), nullable=False),
        sa.Column("refreshed_at", mutuals.storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_summary_state")),
    )


def downgrade() -> None:
    op.drop_table("person_summary_state")
    op.drop_index("ix_person_summary_stage", table_name="person_summary")
    op.drop_index("ix_person_summary_owed", table_name="person_summary")
    op.drop_index("ix_person_summary_last_at", table_name="person_summary")
    op.drop_index("ix_person_summary_score", table_name="person_summary")
    op.drop_table("person_summary")
