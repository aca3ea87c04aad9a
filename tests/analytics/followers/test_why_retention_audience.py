"""Why people leave, who stays, and who the audience is, on small invented histories whose answers are
worked out by hand in each test."""

from __future__ import annotations

import json
import math
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from mutuals.analytics.followers.audience import audience, bot_reasons, is_likely_bot
from mutuals.analytics.followers.retention import churn, cohorts
from mutuals.analytics.followers.why_left import MIN_CASES, why_left
from mutuals.domain import FollowDirection, MediaType
from mutuals.enrich.promotional import hashtags, is_promotional, promotional_reasons
from tests.analytics.followers.fixtures import day, post, records, said, snapshot

PROMO = "Flash sale: 20% off every bag this weekend, use code BREW20"
PLAIN = "Our roaster explains why light roasts taste of fruit #coffee"


def _why_history(engine: Engine) -> list[set[int]]:
    """Six weekly intervals; promotional posts in intervals 1, 3, 5 (8 leave in each), plain posts in
    2, 4, 6 (2 leave in each)."""
    members = set(range(1, 101))
    lists = [set(members)]
    snapshot(engine, 0, members)
    gone = iter(range(1, 101))
    posts = []
    for k in range(1, 7):
        promo = k % 2 == 1
        posts.append(
            post(k, 7 * (k - 1) + 3, PROMO if promo else PLAIN, media=(MediaType.IMAGE,) if promo else ())
        )
        for _ in range(8 if promo else 2):
            members.discard(next(gone))
        lists.append(set(members))
        snapshot(engine, 7 * k, members)
    posts.append(post(99, 2, "Decaf is back #decaf"))  # one more post in interval 1
    records(engine, posts)
    return lists


def test_each_unfollow_interval_lists_the_posts_published_in_it(engine: Engine) -> None:
    _why_history(engine)
    with engine.connect() as conn:
        data = why_left(conn)
    assert data["unfollows"] == 3 * 8 + 3 * 2
    first = data["intervals"][0]
    assert first["between"] == [day(0).isoformat(), day(7).isoformat()]
    assert first["lost"] == 8 and first["members_before"] == 100
    assert [p["platform_id"] for p in first["posts"]] == ["p99", "p1"]
    assert first["posts"][1]["promotional"] is True and first["posts"][0]["promotional"] is False
    assert [iv["lost"] for iv in data["intervals"]] == [8, 2, 8, 2, 8, 2]


def test_promotional_posts_go_with_a_higher_unfollow_rate_with_its_interval(engine: Engine) -> None:
    lists = _why_history(engine)
    with engine.connect() as conn:
        data = why_left(conn)
    factors = {f["feature"]: f for f in data["factors"]}
    promo = factors["promotional"]
    # By hand: exposure is members before the interval × 7 days.
    before = [len(s) for s in lists[:-1]]
    e1 = sum(before[k] * 7 for k in (0, 2, 4))
    e0 = sum(before[k] * 7 for k in (1, 3, 5))
    rr = (24 / e1) / (6 / e0)
    half = 1.959964 * math.sqrt(1 / 24 + 1 / 6)
    assert promo["status"] == "ok" and promo["cases"] == 24 and promo["lost_without"] == 6
    assert promo["rate_ratio"] == pytest.approx(rr)
    assert promo["ci95"] == pytest.approx([rr * math.exp(-half), rr * math.exp(half)])
    assert factors["media:image"]["rate_ratio"] == pytest.approx(rr)
    # The decaf topic is in one interval only: not enough to say anything.
    assert (
        factors["topic:#decaf"]["status"] == "not enough data"
        and factors["topic:#decaf"]["rate_ratio"] is None
    )
    # Plain posts carry #coffee: the mirror image, with 6 cases (at least MIN_CASES).
    coffee = factors["topic:#coffee"]
    assert coffee["cases"] == 6 >= MIN_CASES and coffee["rate_ratio"] == pytest.approx(1 / rr)


def test_few_unfollows_are_not_enough_data(engine: Engine) -> None:
    snapshot(engine, 0, [1, 2, 3])
    records(engine, [post(1, 1, PROMO)])
    snapshot(engine, 7, [2, 3])
    with engine.connect() as conn:
        data = why_left(conn)
    assert data["intervals"][0]["posts"][0]["platform_id"] == "p1"
    assert all(f["status"] == "not enough data" for f in data["factors"])


def _retention_history(engine: Engine) -> None:
    snapshot(engine, 0, range(1, 11))
    snapshot(engine, 7, range(1, 21))
    snapshot(engine, 14, [*range(1, 11), *range(16, 21)])
    snapshot(engine, 40, [*range(1, 11), *range(16, 19)])
    snapshot(engine, 100, [*range(1, 11), *range(16, 19)])


def test_cohort_retention_counts_only_what_the_snapshots_can_show(engine: Engine) -> None:
    _retention_history(engine)
    with engine.connect() as conn:
        data = cohorts(conn)
    # 11..20 first seen at day 7 (week of Monday 2026-01-12); the baseline 1..10 is in no cohort.
    # +7 d (day 14): 16..20 still there, 11..15 gone. +30 d (day 37): 16..18 seen later, 11..15 gone,
    # 19 and 20 left between day 14 and day 40: uncertain. +90 d (day 97): 16..18 kept, 7 gone.
    assert data["table"] == [
        {
            "cohort_week": "2026-01-12",
            "size": 10,
            "d7": {"retained": 5, "lost": 5, "uncertain": 0, "share": 0.5},
            "d30": {"retained": 3, "lost": 5, "uncertain": 2, "share": 0.3},
            "d90": {"retained": 3, "lost": 7, "uncertain": 0, "share": 0.3},
        }
    ]
    assert data["chart"]["x"] == ["2026-01-12"]
    assert [s["values"] for s in data["chart"]["series"]] == [[0.5], [0.3], [0.3]]


def test_a_horizon_not_yet_observable_is_left_out(engine: Engine) -> None:
    snapshot(engine, 0, [1])
    snapshot(engine, 7, [1, 2])
    snapshot(engine, 20, [1, 2])
    with engine.connect() as conn:
        (row,) = cohorts(conn)["table"]
    assert row["d7"] == {"retained": 1, "lost": 0, "uncertain": 0, "share": 1.0}
    assert row["d30"] is None and row["d90"] is None


def test_the_exports_follow_time_places_followers_in_their_cohort(engine: Engine) -> None:
    snapshot(engine, 0, [1, 2], followed_at={1: day(-20), 2: day(-1)})
    snapshot(engine, 30, [2], followed_at={2: day(-1)})
    with engine.connect() as conn:
        table = cohorts(conn)["table"]
    assert [r["cohort_week"] for r in table] == [
        (day(-20) - timedelta(days=day(-20).weekday())).date().isoformat(),
        "2025-12-29",
    ]


def test_churn_per_week_is_losses_over_the_members_before(engine: Engine) -> None:
    _retention_history(engine)
    with engine.connect() as conn:
        weeks = {b["period"]: b for b in churn(conn, period="week")}
        months = {b["period"]: b for b in churn(conn, period="month")}
    assert weeks["2026-01-05"]["churn_rate"] is None
    assert weeks["2026-01-12"]["churn_rate"] == 0 and weeks["2026-01-12"]["gained"] == 10
    assert weeks["2026-01-19"]["lost"] == 5 and weeks["2026-01-19"]["churn_rate"] == pytest.approx(5 / 20)
    assert weeks["2026-02-09"]["churn_rate"] == pytest.approx(2 / 15)
    assert months["2026-01"]["lost"] == 5 and months["2026-01"]["base"] == 10
    assert months["2026-02"]["churn_rate"] == pytest.approx(2 / 15)


def test_audience_reciprocity_inactive_and_bots(engine: Engine) -> None:
    snapshot(engine, 0, [1, 2, 3, 4, 12345678])
    snapshot(engine, 0, [3, 4, 5], direction=FollowDirection.FOLLOWING)
    snapshot(engine, 1, [1, 2, 3, 4])
    snapshot(engine, 2, [1, 2, 3, 4, 12345678])
    snapshot(engine, 3, [1, 2, 3, 4])
    snapshot(engine, 4, [1, 2, 3, 4, 12345678])
    records(engine, [said(1, 300, "hi"), said(2, 1, "old news")])
    with engine.connect() as conn:
        data = audience(conn, inactive_days=180, now=day(310))
    rec = data["reciprocity"]
    assert (rec["followers"], rec["following"], rec["mutuals"]) == (5, 3, 2)
    assert rec["follow_back_ratio"] == pytest.approx(2 / 5)
    assert {m["handle"] for m in rec["mutual_list"]} == {"u3@example.org", "u4@example.org"}
    assert rec["followers_we_do_not_follow"]["count"] == 3
    assert {m["handle"] for m in rec["following_who_do_not_follow_us"]["sample"]} == {"u5@example.org"}
    assert {m["handle"] for m in data["inactive"]["sample"]} == {
        "u2@example.org",
        "u3@example.org",
        "u4@example.org",
        "u12345678@example.org",
    }
    (bot,) = data["likely_bots"]["sample"]
    assert bot["handle"] == "u12345678@example.org" and bot["reasons"] == ["digits", "flip-flop"]


def test_bot_heuristics_are_the_documented_ones() -> None:
    assert bot_reasons("news_bot", "News", {"bot": True}, 1) == ["declared bot"]
    assert is_likely_bot(["declared bot"]) and not is_likely_bot(["digits"])
    assert bot_reasons("anna84736251", None, None, 1) == ["digits", "no name"]
    assert bot_reasons("ada", "Ada", {"following_count": 5000, "followers_count": 12}, 1) == ["follow ratio"]
    assert bot_reasons("ada", "Ada", {"following_count": 500, "followers_count": 12}, 1) == []


def test_promotional_detection_names_its_reasons() -> None:
    assert promotional_reasons(PROMO) == ["discount", "code", "sale"]
    assert is_promotional("Giveaway! Win a grinder, link in bio")
    assert not is_promotional(PLAIN) and not is_promotional(None)
    assert hashtags("New #Coffee and #coffee, #decaf") == ["coffee", "decaf"]


def test_the_cli_commands_print_json(engine: Engine, cli: Any) -> None:
    _retention_history(engine)
    for cmd in ("why", "retention", "audience"):
        res = cli("followers", cmd, "--json")
        assert res.code == 0, res.err
        json.loads(res.out)
        assert cli("followers", cmd).code == 0
