"""The Listening and Followers pages (skipped where that capability is not installed): the numbers they show
are the library's (mutuals.analytics.listening / .followers) for the same data."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from mutuals.connectors.base import ImportOptions
from mutuals.domain import Account, Direction, Identity, Interaction, InteractionKind, Network
from mutuals.ingest.demo import load_demo
from mutuals.ingest.runner import run_records
from mutuals.storage.db import get_engine, transaction

Clients = Callable[[str | None], TestClient]
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
BRAND = Account(Network.X, "acme_help")
DELIVERY = [
    "my parcel still has not arrived, terrible",
    "my package never arrived, awful service",
    "where is my parcel? it has not been delivered, unacceptable",
    "my order has not arrived yet, so annoying",
    "the delivery of my parcel is a week late, worst ever",
]
LOGIN = [
    "I can't log in to my account, terrible",
    "I can't log into my account anymore, awful",
    "login to my account keeps failing, so frustrating",
    "my account login is broken since the update",
    "unable to sign in to my account, useless",
]


def _needs(app: FastAPI, path: str) -> None:
    if not any(n.path == path for n in app.state.nav):
        pytest.skip(f"the capability behind {path} is not installed")


def _message(n: int, person: int, text: str) -> Interaction:
    who = Identity(Network.X, platform_id=f"inv{person}", handle=f"invented{person}")
    return Interaction(
        account=BRAND,
        kind=InteractionKind.MENTION,
        direction=Direction.INBOUND,
        occurred_at=NOW - timedelta(hours=n + 1),
        identity=who,
        platform_id=f"inv-m{n}",
        text=text,
    )


def _load_concerns() -> list[tuple[int, str]]:
    """Ten complaints, person 0 writing twice about deliveries (they count once); returns (person, text)."""
    written = [(0 if i == 0 else 1 + i, text) for i, text in enumerate(DELIVERY)]
    written += [(10 + i, text) for i, text in enumerate(LOGIN)]
    written.append((0, DELIVERY[1] + " again"))
    records = [_message(n, person, text) for n, (person, text) in enumerate(written)]
    run_records(records, source="generated", path="generated", options=ImportOptions(), engine=get_engine())
    return written


def _cells(html: str, table_class: str) -> list[list[list[str]]]:
    """The words of each cell of each body row of the table with that class."""
    body = html.split(f'class="{table_class}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[1], re.S)
    return [
        [unescape(re.sub(r"<[^>]+>", " ", c)).split() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)]
        for r in rows
    ]


def test_the_sentiment_table_shows_the_librarys_weekly_counts(app: FastAPI, client_for: Clients) -> None:
    _needs(app, "/listening")
    from mutuals.analytics.listening.sentiment import sentiment_over_time

    load_demo()
    page = client_for("viewer").get("/listening")
    assert page.status_code == 200
    since = re.search(r"from (\d{4}-\d\d-\d\d)", page.text)
    assert since
    with get_engine().connect() as conn:
        everything = sentiment_over_time(conn, period="week")
    assert everything, "the demo has inbound messages with sentiment"
    shown = {r[0][0]: [int(x[0]) for x in r[1:5]] for r in _cells(page.text, "sentiment-table")}
    # The newest 26 weeks (plus the partial week the window starts in) of the library's own series.
    expected = {
        r["period"]: [r["negative"], r["neutral"], r["positive"], r["unsupported"]] for r in everything
    }
    assert shown and all(expected[k] == v for k, v in shown.items())
    assert everything[-1]["period"] in shown and 26 <= len(shown) <= 27
    assert 'id="sentiment-chart"' in page.text


def test_themes_count_distinct_people_and_open_to_their_messages(app: FastAPI, client_for: Clients) -> None:
    _needs(app, "/listening")
    from mutuals.analytics.listening.themes import list_themes

    written = _load_concerns()
    viewer = client_for("viewer")
    assert "No themes yet" in viewer.get("/listening").text
    assert "/listening/refresh" not in viewer.get("/listening").text  # a viewer may not cluster
    done = client_for("manager").post("/listening/refresh", follow_redirects=False)
    assert done.status_code == 303
    with get_engine().connect() as conn:
        themes = list_themes(conn)
    assert themes
    page = viewer.get("/listening").text
    listed = re.findall(r'<a href="/listening/themes/(\d+)">', page)
    assert [int(x) for x in listed] == [th["id"] for th in themes]
    rows = _cells(page, "themes")
    assert [(int(r[1][0]), int(r[2][0])) for r in rows] == [(th["people"], th["messages"]) for th in themes]
    # Inside a theme: every message of it, and the people count is the distinct writers among them.
    total = 0
    for th in themes:
        inside = viewer.get(f"/listening/themes/{th['id']}").text
        msgs = _cells(inside, "theme-messages")
        assert len(msgs) == th["messages"]
        texts = {" ".join(m[2]) for m in msgs}
        writers = {p for p, text in written if " ".join(text.split()) in texts}
        assert re.search(rf'id="theme-people">{len(writers)}<', inside)
        total += len(msgs)
    assert total <= len(written)
    assert viewer.get("/listening/themes/999999").status_code == 404


def test_a_stored_alert_is_listed_with_its_message(app: FastAPI, client_for: Clients) -> None:
    _needs(app, "/listening")
    from mutuals.analytics.listening.alerts import store_alerts

    alert = {
        "kind": "volume",
        "subject": "account:1",
        "window_start": NOW - timedelta(days=1),
        "window_end": NOW,
        "current": 40.0,
        "baseline": 10.0,
        "current_count": 40,
        "message": "x:acme_help: 40 messages in the last day, up from 10.0 a day (an invented spike)",
    }
    with transaction(get_engine()) as conn:
        store_alerts(conn, [alert])
    page = client_for("viewer").get("/listening").text
    assert "an invented spike" in page and "2026-11-30" in page


def test_the_followers_page_shows_the_librarys_changes_cohorts_and_unfollows(
    app: FastAPI, client_for: Clients
) -> None:
    _needs(app, "/followers")
    from mutuals.analytics.followers.changes import follower_changes
    from mutuals.analytics.followers.retention import retention
    from mutuals.analytics.followers.why_left import why_left

    load_demo()
    page = client_for("viewer").get("/followers")
    assert page.status_code == 200
    with get_engine().connect() as conn:
        changes = follower_changes(conn, limit=50)
        kept = retention(conn)
        why = why_left(conn)
    assert changes["gained"] and changes["lost"], "the demo has follower changes"
    for key in ("gained", "lost"):
        handles = [r[1][-1] for r in _cells(page.text, 'changes" id="' + key + "-table")]
        assert handles == [f"@{r['handle']}" for r in reversed(changes[key])]
    cohorts = _cells(page.text, "heatmap")
    assert [(r[0][0], int(r[1][0])) for r in cohorts] == [
        (c["cohort_week"], c["size"]) for c in reversed(kept["cohorts"]["table"][-52:])
    ]
    first = kept["cohorts"]["table"][-1]
    for h, cell in zip(kept["cohorts"]["horizons"], cohorts[0][2:], strict=True):
        value = first[f"d{h}"]
        assert cell == ([f"{100 * value['share']:.0f}%"] if value else [])
    assert re.search(rf'id="unfollows">{why["unfollows"]:,}<', page.text)
    assert 'id="churn-chart"' in page.text


def test_an_unknown_account_is_a_one_line_error_that_keeps_the_form(
    app: FastAPI, client_for: Clients
) -> None:
    _needs(app, "/followers")
    load_demo()
    page = client_for("viewer").get("/followers", params={"account": "x:nobody_here"})
    assert page.status_code == 400
    assert re.search(r'<p class="error" role="alert">[^<]*nobody_here[^<]*</p>', page.text)
    assert '<option value="following"' in page.text
