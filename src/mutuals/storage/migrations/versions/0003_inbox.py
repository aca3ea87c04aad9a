"""inbox: team members, conversations, messages (with stored threading), notes, replies, events

Revision ID: 0003_inbox_threads
Revises: 0001

(Renamed from ``0003_inbox`` before it was ever released, when threading became stored: a database made
with the earlier draft has the old tables under the old id and is rebuilt rather than silently kept.)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import mutuals.storage.types

revision = "0003_inbox_threads"
down_revision = "0001"
branch_labels = None
depends_on = None

_T = mutuals.storage.types.UTCDateTime


def _conversation_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["conversation_id"],
        ["inbox_conversations.id"],
        name=op.f(f"fk_{table}_conversation_id_inbox_conversations"),
    )


def upgrade() -> None:
    op.create_table(
        "team_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handle", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("sign_off", sa.String(length=64), nullable=True),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("created_at", _T(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_members")),
        sa.UniqueConstraint("handle", name=op.f("uq_team_members_handle")),
    )
    op.create_table(
        "inbox_conversations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("thread_key", sa.String(length=300), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("state_at", _T(), nullable=True),
        sa.Column("snoozed_until", _T(), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("created_at", _T(), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("dirty", sa.Boolean(), nullable=False),
        sa.Column("identity_id", sa.Integer(), nullable=True),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.Column("private", sa.Boolean(), nullable=False),
        sa.Column("first_inbound_at", _T(), nullable=True),
        sa.Column("last_inbound_id", sa.Integer(), nullable=True),
        sa.Column("last_inbound_at", _T(), nullable=True),
        sa.Column("inbound_seen_at", _T(), nullable=True),
        sa.Column("last_ours_at", _T(), nullable=True),
        sa.Column("followers", sa.Integer(), nullable=True),
        sa.Column("person_score", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_inbox_conversations_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["assignee_id"],
            ["team_members.id"],
            name=op.f("fk_inbox_conversations_assignee_id_team_members"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_conversations")),
        sa.UniqueConstraint(
            "account_id", "thread_key", name=op.f("uq_inbox_conversations_account_id_thread_key")
        ),
    )
    op.create_index("ix_inbox_conversations_state", "inbox_conversations", ["state"], unique=False)
    op.create_index("ix_inbox_conversations_dirty", "inbox_conversations", ["dirty"], unique=False)
    op.create_index(
        "ix_inbox_conversations_account_last_inbound",
        "inbox_conversations",
        ["account_id", "last_inbound_at"],
        unique=False,
    )
    op.create_table(
        "inbox_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=True),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("added_at", _T(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.Column("direction", sa.String(length=8), nullable=True),
        sa.Column("occurred_at", _T(), nullable=True),
        sa.Column("parent_key", sa.String(length=255), nullable=True),
        sa.Column("root", sa.String(length=300), nullable=True),
        sa.Column("negative_word", sa.String(length=32), nullable=True),
        sa.Column("complaint_cue", sa.Boolean(), nullable=True),
        sa.Column("question_cue", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_inbox_messages_account_id_accounts")
        ),
        _conversation_fk("inbox_messages"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_messages")),
        sa.UniqueConstraint("account_id", "key", "kind", name=op.f("uq_inbox_messages_account_id_key_kind")),
    )
    op.create_index(
        op.f("ix_inbox_messages_conversation_id"), "inbox_messages", ["conversation_id"], unique=False
    )
    op.create_index(
        op.f("ix_inbox_messages_interaction_id"), "inbox_messages", ["interaction_id"], unique=False
    )
    op.create_index(
        "ix_inbox_messages_account_parent", "inbox_messages", ["account_id", "parent_key"], unique=False
    )
    op.create_index("ix_inbox_messages_account_root", "inbox_messages", ["account_id", "root"], unique=False)
    op.create_table(
        "inbox_thread_staging",
        sa.Column("message_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("root", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("message_id", name=op.f("pk_inbox_thread_staging")),
    )
    op.create_table(
        "inbox_sync",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_interaction_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_sync")),
    )
    op.create_table(
        "inbox_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", _T(), nullable=False),
        _conversation_fk("inbox_notes"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_notes")),
    )
    op.create_index(op.f("ix_inbox_notes_conversation_id"), "inbox_notes", ["conversation_id"], unique=False)
    op.create_table(
        "inbox_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("in_reply_to", sa.String(length=255), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("coach", sa.JSON(), nullable=True),
        sa.Column("posted_via", sa.String(length=32), nullable=False),
        sa.Column("created_at", _T(), nullable=False),
        _conversation_fk("inbox_replies"),
        sa.ForeignKeyConstraint(
            ["member_id"], ["team_members.id"], name=op.f("fk_inbox_replies_member_id_team_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_replies")),
    )
    op.create_index(
        op.f("ix_inbox_replies_conversation_id"), "inbox_replies", ["conversation_id"], unique=False
    )
    op.create_table(
        "inbox_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.Column("created_at", _T(), nullable=False),
        _conversation_fk("inbox_events"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_events")),
    )
    op.create_index(
        op.f("ix_inbox_events_conversation_id"), "inbox_events", ["conversation_id"], unique=False
    )


def downgrade() -> None:
    op.drop_table("inbox_sync")
    op.drop_table("inbox_thread_staging")
    for name in (
        "ix_inbox_messages_pending",
        "ix_inbox_messages_account_root",
        "ix_inbox_messages_account_parent",
    ):
        op.drop_index(name, table_name="inbox_messages")
    op.drop_index(op.f("ix_inbox_messages_interaction_id"), table_name="inbox_messages")
    op.drop_index("ix_inbox_conversations_account_last_inbound", table_name="inbox_conversations")
    op.drop_index("ix_inbox_conversations_dirty", table_name="inbox_conversations")
    for table in ("inbox_events", "inbox_replies", "inbox_notes", "inbox_messages"):
        op.drop_index(op.f(f"ix_{table}_conversation_id"), table_name=table)
        op.drop_table(table)
    op.drop_index("ix_inbox_conversations_state", table_name="inbox_conversations")
    op.drop_table("inbox_conversations")
    op.drop_table("team_members")
