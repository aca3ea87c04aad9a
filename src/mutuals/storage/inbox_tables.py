"""Inbox tables: team members, conversations and their messages, notes, recorded replies, the audit log.

Inbox state lives here and only here. Messages are tied to interactions by the interactions' natural key
``(account_id, kind, key)``, never by rewriting interaction rows, so a later import that brings the same
messages again changes none of it.
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
    String,
    Table,
    Text,
    UniqueConstraint,
)

from mutuals.storage.tables import metadata
from mutuals.storage.types import UTCDateTime

team_members = Table(
    "team_members",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("handle", String(64), nullable=False, unique=True),  # how --as and assign name them
    Column("name", String(255), nullable=False),
    Column("sign_off", String(64)),  # what they sign replies with: "^JK", "-Becky"
    Column("role", String(32), nullable=False, default="agent"),
    Column("created_at", UTCDateTime, nullable=False),
)

inbox_conversations = Table(
    "inbox_conversations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id"), nullable=False),
    # The natural key of the conversation: "t:" + the key of its first message, or "dm:" + thread id.
    Column("thread_key", String(300), nullable=False),
    # The state set by people: open, done or snoozed ("waiting" is derived from who wrote last).
    Column("state", String(16), nullable=False, default="open"),
    Column("state_at", UTCDateTime),
    Column("snoozed_until", UTCDateTime),
    Column("assignee_id", Integer, ForeignKey("team_members.id")),
    Column("created_at", UTCDateTime, nullable=False),
    # A conversation joined to another one (a message arrived that links them) points at it here.
    Column("merged_into_id", Integer),
    # Figures kept up to date from the messages (threads.refresh) whenever messages or replies are
    # added, so the inbox lists and sorts with one query: see docs/inbox.md.
    Column("dirty", Boolean, nullable=False, default=False),
    Column("identity_id", Integer),  # whom it is with: the first inbound message's identity
    Column("messages", Integer, nullable=False, default=0),
    Column("private", Boolean, nullable=False, default=False),
    Column("first_inbound_at", UTCDateTime),
    Column("last_inbound_id", Integer),  # interactions.id of the newest inbound message
    Column("last_inbound_at", UTCDateTime),
    Column("inbound_seen_at", UTCDateTime),  # newest inbound occurred_at or added_at: reopens done
    Column("last_ours_at", UTCDateTime),  # newest outbound message or recorded reply
    Column("followers", Integer),  # the person's reach when the conversation last changed
    Column("person_score", Float),  # their relationship score (people module) at that time
    UniqueConstraint("account_id", "thread_key"),
    Index("ix_inbox_conversations_state", "state"),
    Index("ix_inbox_conversations_dirty", "dirty"),
    Index("ix_inbox_conversations_account_last_inbound", "account_id", "last_inbound_at"),
)

# Every message of a conversation kind, filed once by its interaction's natural key when it is imported,
# with the root of its thread (``root``: "t:" + the key of the first message of its reply chain, or
# "dm:" + the private thread). A thread becomes a conversation once it holds an inbound message.
inbox_messages = Table(
    "inbox_messages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("conversation_id", Integer, ForeignKey("inbox_conversations.id"), index=True),
    Column("account_id", Integer, ForeignKey("accounts.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("key", String(255), nullable=False),
    # When Mutuals first saw it: a message added after a conversation was marked done reopens it.
    Column("added_at", UTCDateTime, nullable=False),
    Column("interaction_id", Integer, index=True),
    Column("direction", String(8)),
    Column("occurred_at", UTCDateTime),
    Column("parent_key", String(255)),  # in_reply_to, where it links the thread (not private threads)
    Column("root", String(300)),
    # Keyword cues of an inbound text (the fall-back while it has no labels; text.py), set when filed.
    Column("negative_word", String(32)),
    Column("complaint_cue", Boolean),
    Column("question_cue", Boolean),
    # (account_id, key) first: also serves looking a message up by the key a reply names.
    UniqueConstraint("account_id", "key", "kind"),
    Index("ix_inbox_messages_account_parent", "account_id", "parent_key"),
    Index("ix_inbox_messages_account_root", "account_id", "root"),
)

# Roots worked out for the running batch (rows live only inside the filing transaction).
inbox_thread_staging = Table(
    "inbox_thread_staging",
    metadata,
    Column("message_id", Integer, primary_key=True, autoincrement=False),
    Column("root", String(300), nullable=False),
)

# How far threading has read the interactions table (its highest id seen): one row.
inbox_sync = Table(
    "inbox_sync",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("last_interaction_id", Integer, nullable=False),
)

inbox_notes = Table(
    "inbox_notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("conversation_id", Integer, ForeignKey("inbox_conversations.id"), nullable=False, index=True),
    Column("actor", String(128), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

# Replies written in Mutuals. Without a live connector the text is copied by hand and the conversation
# is marked answered; ``posted_via`` says how it went out.
inbox_replies = Table(
    "inbox_replies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("conversation_id", Integer, ForeignKey("inbox_conversations.id"), nullable=False, index=True),
    Column("member_id", Integer, ForeignKey("team_members.id")),
    Column("actor", String(128), nullable=False),
    Column("in_reply_to", String(255)),  # key of the message answered
    Column("text", Text, nullable=False),
    Column("coach", JSON),  # what the reply coach said about it
    Column("posted_via", String(32), nullable=False, default="copied"),
    Column("created_at", UTCDateTime, nullable=False),
)

# The audit log: every state change, assignment, note and reply, with who and when.
inbox_events = Table(
    "inbox_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("conversation_id", Integer, ForeignKey("inbox_conversations.id"), nullable=False, index=True),
    Column("actor", String(128), nullable=False),
    Column("action", String(32), nullable=False),
    Column("detail", JSON),
    Column("created_at", UTCDateTime, nullable=False),
)
