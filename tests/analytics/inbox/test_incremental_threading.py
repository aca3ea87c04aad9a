"""Threading is incremental: each import files only its own messages onto the threads already stored.

Invented messages of one account, imported in batches as generic CSV files written by each test. The
expected grouping is worked out in the test itself from the rows (a reply joins what it answers).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from mutuals.storage import inbox_tables as it

HEADER = [
    "network",
    "account",
    "kind",
    "direction",
    "occurred_at",
    "platform_id",
    "identity_id",
    "handle",
    "display_name",
    "followers_count",
    "text",
    "is_public",
    "post_ref",
    "in_reply_to",
    "thread_ref",
]


def _row(key: str, direction: str, at: str, text: str, parent: str = "", who: str = "701") -> dict[str, str]:
    handle = {"701": "ines_v", "702": "omar_t"}[who]
    return {
        "network": "x",
        "account": "brewbird",
        "kind": "reply" if parent else "mention",
        "direction": direction,
        "occurred_at": f"2026-11-0{at}Z",
        "platform_id": key,
        "identity_id": who,
        "handle": handle,
        "display_name": handle.title(),
        "followers_count": "",
        "text": text,
        "is_public": "true",
        "post_ref": "",
        "in_reply_to": parent,
        "thread_ref": "",
    }


# Ines writes, we answer, she answers back, we answer again; Omar writes separately.
M1 = _row("t-m1", "inbound", "2T09:00:00", "@brewbird my grinder stopped working")
O1 = _row("t-o1", "outbound", "2T09:10:00", "@ines_v Hi Ines, which model is it?", "t-m1")
M2 = _row("t-m2", "inbound", "2T09:20:00", "@brewbird the Burr 2, bought in May", "t-o1")
O2 = _row("t-o2", "outbound", "2T09:30:00", "@ines_v Thanks Ines, a new one is on its way", "t-m2")
M3 = _row("t-m3", "inbound", "2T09:40:00", "@brewbird great, thank you!", "t-o2")
OMAR = _row("t-x1", "inbound", "3T10:00:00", "@brewbird do you roast decaf?", who="702")


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, HEADER)
        w.writeheader()
        w.writerows(rows)
    return path


def _json(cli: Any, *args: str) -> Any:
    res = cli(*args, "--json")
    assert res.code == 0, res.err
    return json.loads(res.out)


def _import(cli: Any, tmp_path: Path, name: str, rows: list[dict[str, str]]) -> None:
    _json(cli, "import", str(_write(tmp_path / f"{name}.csv", rows)))


def _threads(rows: list[dict[str, str]]) -> list[set[str]]:
    """The expected conversations: a reply joins the thread of the message it answers."""
    keys = {r["platform_id"] for r in rows}
    parent = {r["platform_id"]: r["in_reply_to"] for r in rows}

    def root(k: str) -> str:
        while parent[k] in keys:
            k = parent[k]
        return k

    groups: dict[str, set[str]] = {}
    for r in rows:
        groups.setdefault(root(r["platform_id"]), set()).add(r["platform_id"])
    return sorted(groups.values(), key=sorted)


def _stored(cli: Any) -> list[set[str]]:
    convs = _json(cli, "inbox", "--state", "all")["conversations"]
    found = [{m["key"] for m in _json(cli, "inbox", "show", str(c["id"]))["thread"]} for c in convs]
    return sorted(found, key=sorted)


def _filed(engine: Engine) -> list[tuple[Any, ...]]:
    m = it.inbox_messages.c
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(m.key, m.root, m.conversation_id).order_by(m.key))]


def test_a_second_batch_that_continues_a_thread_joins_the_same_conversation(
    cli: Any, engine: Engine, tmp_path: Path
) -> None:
    _import(cli, tmp_path, "first", [M1, O1, OMAR])
    before = {c["id"]: c for c in _json(cli, "inbox", "--state", "all")["conversations"]}
    ines = next(c for c in before.values() if c["person"]["handle"] == "ines_v")
    _import(cli, tmp_path, "second", [M2, O2])
    assert _stored(cli) == _threads([M1, O1, M2, O2, OMAR])
    shown = _json(cli, "inbox", "show", str(ines["id"]))
    assert [m["key"] for m in shown["thread"]] == ["t-m1", "t-o1", "t-m2", "t-o2"]
    assert shown["state"] == "waiting", "we wrote last"
    assert {c["id"] for c in _json(cli, "inbox", "--state", "all")["conversations"]} == set(before)


def test_a_reply_imported_before_its_parent_ends_up_in_the_parents_conversation(
    cli: Any, engine: Engine, tmp_path: Path
) -> None:
    _import(cli, tmp_path, "first", [M1, O1])
    parent_conv = _json(cli, "inbox", "--state", "all")["conversations"][0]["id"]
    # Her thanks (an answer to our O2) comes in an export that lacks M2 and O2.
    _import(cli, tmp_path, "early", [M3])
    convs = _json(cli, "inbox", "--state", "all")["conversations"]
    assert len(convs) == 2, "until its parent arrives, the early reply stands alone"
    early = next(c["id"] for c in convs if c["id"] != parent_conv)
    _json(cli, "inbox", "note", str(early), "--text", "she sounded happy")
    _import(cli, tmp_path, "late", [M2, O2])
    assert _stored(cli) == _threads([M1, O1, M2, O2, M3]) == [{"t-m1", "t-o1", "t-m2", "t-o2", "t-m3"}]
    shown = _json(cli, "inbox", "show", str(parent_conv))
    assert [m["key"] for m in shown["thread"]] == ["t-m1", "t-o1", "t-m2", "t-o2", "t-m3"]
    assert shown["notes"][0]["text"] == "she sounded happy", "the note moved with the merge"
    assert [e["action"] for e in shown["events"]] == ["note", "merge"]
    assert _json(cli, "inbox", "show", str(early))["id"] == parent_conv, "the old id leads to it"


def test_a_reply_to_our_answer_that_comes_first_joins_the_answer_and_the_question_later(
    cli: Any, engine: Engine, tmp_path: Path
) -> None:
    # Reverse order, one message per import: the thread is the same as in one go.
    for n, row in enumerate([M3, O2, M2, O1, M1]):
        _import(cli, tmp_path, f"b{n}", [row])
    assert _stored(cli) == _threads([M1, O1, M2, O2, M3])


def test_reimporting_changes_nothing(cli: Any, engine: Engine, tmp_path: Path) -> None:
    rows = [M1, O1, M2, O2, M3, OMAR]
    _import(cli, tmp_path, "all", rows)
    filed, listed = _filed(engine), _json(cli, "inbox", "--state", "all")
    _import(cli, tmp_path, "again", rows)
    _import(cli, tmp_path, "part", [O1, M2])
    assert _filed(engine) == filed
    assert _json(cli, "inbox", "--state", "all") == listed
    assert len(filed) == len(rows), "every message is filed once"


def test_state_assignee_and_notes_survive_later_imports(cli: Any, engine: Engine, tmp_path: Path) -> None:
    _import(cli, tmp_path, "first", [M1, O1, M2])
    cid = str(_json(cli, "inbox")["conversations"][0]["id"])
    _json(cli, "inbox", "team", "add", "priya", "--name", "Priya Shah")
    _json(cli, "inbox", "assign", cid, "priya")
    _json(cli, "inbox", "note", cid, "--text", "replacement sent")
    _json(cli, "inbox", "done", cid)
    _import(cli, tmp_path, "ours", [O2])
    shown = _json(cli, "inbox", "show", cid)
    assert shown["state"] == "done", "our own answer does not reopen it"
    _import(cli, tmp_path, "theirs", [M3])
    shown = _json(cli, "inbox", "show", cid)
    assert shown["state"] == "open", "a new message from her reopens it"
    assert shown["assignee"] == "priya" and shown["notes"][0]["text"] == "replacement sent"
    assert [e["action"] for e in shown["events"]] == ["assign", "note", "done"]
    with engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(it.inbox_conversations)).scalar_one()
    assert n == 1
