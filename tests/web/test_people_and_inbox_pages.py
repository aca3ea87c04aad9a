"""The People and Inbox pages over the demo workspace (skipped where that capability is not installed)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from mutuals.ingest.demo import load_demo
from mutuals.storage import tables as t
from mutuals.storage.db import get_engine

Clients = Callable[[str | None], TestClient]
STOCK = "Thanks for reaching out! Please DM us your order number and we will look into it!"


def _needs(app: FastAPI, path: str) -> None:
    if not any(n.path == path for n in app.state.nav):
        pytest.skip(f"the capability behind {path} is not installed")


def _identities(person_id: int) -> set[tuple[str, str]]:
    ic = t.identities.c
    with get_engine().connect() as conn:
        rows = conn.execute(select(ic.network, ic.handle).where(ic.person_id == person_id))
        return {(n, h) for n, h in rows}


def test_a_person_page_lists_every_identity_of_that_person(app: FastAPI, client_for: Clients) -> None:
    _needs(app, "/people")
    load_demo()
    viewer = client_for("viewer")
    listing = viewer.get("/people").text
    pid = int(re.findall(r'href="/people/(\d+)"', listing)[0])
    page = viewer.get(f"/people/{pid}").text
    shown = set(re.findall(r"<tr><td>(\w+)</td><td>([^<]+)</td>", page))
    assert shown == _identities(pid)


def test_searching_for_a_handle_opens_that_persons_profile(app: FastAPI, client_for: Clients) -> None:
    _needs(app, "/people")
    load_demo()
    ic = t.identities.c
    with get_engine().connect() as conn:
        pid, handle = conn.execute(select(ic.person_id, ic.handle).where(ic.network == "x").limit(1)).one()
    res = client_for("viewer").get(f"/people?q=x:{handle}", follow_redirects=False)
    assert res.status_code == 303 and res.headers["location"] == f"/people/{pid}"
    missing = client_for("viewer").get("/people?q=@no_such_handle_at_all")
    assert missing.status_code == 400 and "no person with the handle" in missing.text


def test_an_agent_merges_a_suggested_pair_and_the_identities_move(app: FastAPI, client_for: Clients) -> None:
    _needs(app, "/people")
    load_demo()
    agent = client_for("agent")
    page = agent.get("/people/suggestions").text
    keep, other = (int(v) for v in re.findall(r'name="(?:keep|other)" value="(\d+)"', page)[:2])
    moved = _identities(keep) | _identities(other)
    res = agent.post("/people/merge", data={"keep": keep, "other": other}, follow_redirects=False)
    assert res.status_code == 303
    assert _identities(keep) == moved and _identities(other) == set()
    assert client_for("viewer").post("/people/merge", data={"keep": keep, "other": other}).status_code == 403


def _first_conversation(client: TestClient) -> int:
    return int(re.findall(r'href="/inbox/(\d+)"', client.get("/inbox").text)[0])


def test_the_coach_flags_a_stock_reply_as_it_is_typed(app: FastAPI, client_for: Clients) -> None:
    _needs(app, "/inbox")
    load_demo()
    agent = client_for("agent")
    cid = _first_conversation(agent)
    coach = agent.post(f"/inbox/{cid}/coach", data={"text": STOCK}).text
    assert "reads like a stock response" in coach
    assert "reads like a stock response" not in agent.post(f"/inbox/{cid}/coach", data={"text": "x"}).text


def test_recording_a_reply_and_marking_done_takes_it_off_the_open_list(
    app: FastAPI, client_for: Clients
) -> None:
    _needs(app, "/inbox")
    load_demo()
    agent = client_for("agent")
    cid = _first_conversation(agent)
    page = agent.post(f"/inbox/{cid}/reply", data={"text": "Hi there, thanks a lot! ^A"}).text
    assert "Reply recorded as the answer by agent" in page
    assert "Hi there, thanks a lot! ^A" in agent.get(f"/inbox/{cid}").text
    res = agent.post(f"/inbox/{cid}/state", data={"state": "done"}, follow_redirects=False)
    assert res.status_code == 303
    assert f'href="/inbox/{cid}"' not in agent.get("/inbox").text
    assert f'href="/inbox/{cid}"' in agent.get("/inbox?state=done").text


def test_a_viewer_reads_the_inbox_but_has_no_reply_box(app: FastAPI, client_for: Clients) -> None:
    _needs(app, "/inbox")
    load_demo()
    viewer = client_for("viewer")
    cid = _first_conversation(viewer)
    page = viewer.get(f"/inbox/{cid}").text
    assert "Conversation" in page and 'name="text"' not in page
    assert viewer.post(f"/inbox/{cid}/reply", data={"text": "hello"}).status_code == 403
