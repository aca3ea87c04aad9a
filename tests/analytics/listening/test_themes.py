from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select

from mutuals.analytics.listening.alerts import detect_alerts
from mutuals.analytics.listening.themes import (
    list_themes,
    merge_themes,
    rename_theme,
    split_theme,
    update_themes,
)
from mutuals.storage import tables as t
from tests.analytics.listening.helpers import load, message

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
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


def _load_concerns(engine: Engine) -> None:
    records = []
    n = 0
    for group in (DELIVERY, LOGIN):
        for i, text in enumerate(group):
            # person 0 writes about both concerns twice: they must count once per theme
            records.append(message(n, 0 if i == 0 else n, NOW - timedelta(hours=n + 1), text))
            n += 1
    records.append(message(n, 0, NOW - timedelta(hours=30), DELIVERY[1] + " again"))
    load(engine, records)


def _theme_of(themes: list[dict[str, object]], text_start: str, engine: Engine) -> dict[str, object]:
    with engine.connect() as conn:
        ids = {
            r.id
            for r in conn.execute(select(t.interactions.c.id, t.interactions.c.text))
            if r.text.startswith(text_start)
        }
    (theme,) = [th for th in themes if ids & set(th["interaction_ids"])]  # type: ignore[arg-type]
    return theme


def test_concerns_become_themes_with_distinct_people(engine: Engine) -> None:
    _load_concerns(engine)
    with engine.begin() as conn:
        update_themes(conn)
        themes = list_themes(conn)
    delivery = _theme_of(themes, "my parcel", engine)
    login = _theme_of(themes, "I can't log in", engine)
    assert delivery["id"] != login["id"]
    assert delivery["messages"] == 6 and delivery["people"] == 5  # person 0 twice
    assert login["messages"] == 5 and login["people"] == 5
    assert delivery["networks"] == ["x"]
    assert sum(delivery["trend"].values()) == 6  # type: ignore[attr-defined]


def test_a_rename_survives_reclustering_and_new_texts_join_existing_themes(engine: Engine) -> None:
    _load_concerns(engine)
    with engine.begin() as conn:
        update_themes(conn)
        delivery = _theme_of(list_themes(conn), "my parcel", engine)
        rename_theme(conn, int(delivery["id"]), "Late deliveries")  # type: ignore[call-overload]
        update_themes(conn, rebuild=True)
        again = _theme_of(list_themes(conn), "my parcel", engine)
    assert again["id"] == delivery["id"] and again["label"] == "Late deliveries"
    load(engine, [message(100, 50, NOW, "my parcel has still not arrived, terrible service")])
    with engine.begin() as conn:
        assert update_themes(conn) == {"assigned": 1}
        grown = _theme_of(list_themes(conn), "my parcel", engine)
    assert grown["messages"] == 7


def test_merge_and_split_are_kept_when_reclustering(engine: Engine) -> None:
    _load_concerns(engine)
    with engine.begin() as conn:
        update_themes(conn)
        themes = list_themes(conn)
        delivery = _theme_of(themes, "my parcel", engine)
        login = _theme_of(themes, "I can't log in", engine)
        merge_themes(conn, int(delivery["id"]), int(login["id"]))  # type: ignore[call-overload]
        update_themes(conn, rebuild=True)
        merged = list_themes(conn)
    assert len(merged) == 1 and merged[0]["messages"] == 11
    login_ids = [int(i) for i in login["interaction_ids"]]  # type: ignore[attr-defined]
    with engine.begin() as conn:
        new_id = split_theme(conn, int(delivery["id"]), login_ids, "Login")  # type: ignore[call-overload]
        update_themes(conn, rebuild=True)
        after = {th["id"]: th for th in list_themes(conn)}
    assert after[new_id]["label"] == "Login" and sorted(after[new_id]["interaction_ids"]) == sorted(login_ids)


def test_a_theme_reaching_many_new_people_raises_an_alert(engine: Engine) -> None:
    records = []
    for week in range(1, 5):  # one person a week for four weeks
        records.append(message(week, 1000 + week, NOW - timedelta(days=7 * week + 1), DELIVERY[week % 5]))
    for i in range(8):  # then eight different people this week
        records.append(message(100 + i, i, NOW - timedelta(hours=i + 1), DELIVERY[i % 5]))
    load(engine, records)
    with engine.begin() as conn:
        update_themes(conn)
        alerts = [a for a in detect_alerts(conn, now=NOW) if a["kind"] == "theme_people"]
    assert len(alerts) == 1
    assert alerts[0]["current_count"] == 8 and alerts[0]["baseline"] == 1.0
    assert "8 distinct people this week" in alerts[0]["message"]
