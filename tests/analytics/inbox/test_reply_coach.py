"""The reply coach: stock responses, personal address, sign-offs, length limits, suggestions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mutuals.analytics.inbox import coach as ch
from mutuals.analytics.inbox import text as tx
from mutuals.errors import InvalidInputError

NOW = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)


def _sim(a: str, b: str, names_a: tuple[str, ...] = (), names_b: tuple[str, ...] = ()) -> float:
    return ch.similarity(tx.normalise(a, names_a), tx.normalise(b, names_b))


def _ctx(**kw: object) -> ch.Context:
    base: dict[str, object] = {
        "network": "x",
        "private": False,
        "person_names": ("anna_k", "Anna Kowalski"),
        "last_inbound": "@brewbird my order arrived broken",
        "last_inbound_sentiment": None,
        "exchanges": 0,
    }
    base.update(kw)
    return ch.Context(**base)  # type: ignore[arg-type]


def test_replies_that_differ_only_in_names_numbers_and_punctuation_are_flagged() -> None:
    a = "@anna_k Hi Anna, so sorry your order #4411 arrived late! We've refunded the shipping. ^JK"
    b = "@ben_o Hi Ben!! So sorry your order #9920 arrived late... we've refunded the shipping -Mo"
    assert _sim(a, b, ("anna_k", "Anna Kowalski"), ("ben_o", "Ben Okafor")) >= ch.STOCK_THRESHOLD
    prev = [ch.PreviousReply(b, NOW - timedelta(days=1), "ben_o", ("ben_o", "Ben Okafor"))]
    result = ch.coach(a, _ctx(), prev, member_sign_off=None, member_name=None, now=NOW)
    assert result.stock_response
    assert result.closest[0]["text"] == b and result.closest[0]["similarity"] >= ch.STOCK_THRESHOLD
    assert any("stock response" in w for w in result.warnings)


def test_replies_that_merely_share_a_greeting_are_not_flagged() -> None:
    a = "Hi Anna, thanks for reaching out! The blue mug is back in stock on Monday."
    b = "Hi Ben, thanks for reaching out! Our café opens at 8 on weekdays, see you there."
    assert _sim(a, b) < ch.STOCK_THRESHOLD
    prev = [ch.PreviousReply(b, NOW - timedelta(days=1), "ben_o", ("ben_o",))]
    result = ch.coach(a, _ctx(), prev, member_sign_off=None, member_name=None, now=NOW)
    assert not result.stock_response


def test_a_reply_that_names_the_person_addresses_them_but_the_automatic_mention_does_not() -> None:
    names = ("anna_k", "Anna Kowalski")
    assert ch.addresses("@anna_k Hi Anna, we're on it.", names)
    assert not ch.addresses("@anna_k We're on it.", names)
    assert ch.addresses("@anna_k thanks, @anna_k!", names)


def test_the_sign_off_check_knows_the_agents_sign_off_and_name() -> None:
    assert ch.signed("Sorted! ^PS", "^PS", "Priya Shah")
    assert ch.signed("Sorted! - Priya", None, "Priya Shah")
    assert not ch.signed("Sorted!", "^PS", "Priya Shah")
    result = ch.coach("Sorted!", _ctx(), [], member_sign_off="^PS", member_name="Priya Shah", now=NOW)
    assert result.signed_off is False
    assert "it does not carry your sign-off" in result.warnings


@pytest.mark.parametrize(
    ("network", "ok", "too_long"),
    [
        ("x", "a" * 280, "a" * 281),
        ("mastodon", "a" * 500, "a" * 501),
        ("bluesky", "👍🏽" * 300, "a" * 301),
    ],
)
def test_replies_over_the_networks_limit_are_refused(network: str, ok: str, too_long: str) -> None:
    ch.check_length(ok, network)
    with pytest.raises(InvalidInputError, match=network):
        ch.check_length(too_long, network)


def test_an_empty_reply_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="empty"):
        ch.check_length("   ", "x")


def test_graphemes_count_emoji_sequences_flags_and_accents_once() -> None:
    assert tx.graphemes("👍🏽") == 1
    assert tx.graphemes("🇩🇪🇫🇷") == 2
    assert tx.graphemes("e\u0301") == 1
    assert tx.graphemes("👨\u200d👩\u200d👧") == 1
    assert tx.graphemes("abc") == 3


def test_the_same_dm_sent_to_many_people_is_a_mass_message() -> None:
    text = "Hi there! Use code BREW10 for 10% off your next order."
    prev = [
        ch.PreviousReply(
            text.replace("10", str(n)), NOW - timedelta(hours=n), f"p{n}", private=True, identity_id=100 + n
        )
        for n in range(1, 5)
    ]
    result = ch.coach(
        text, _ctx(private=True, identity_id=1), prev, member_sign_off=None, member_name=None, now=NOW
    )
    assert result.mass_message == 4
    assert any("same DM went to 4 other people" in w for w in result.warnings)
    public = ch.coach(text, _ctx(private=False), prev, member_sign_off=None, member_name=None, now=NOW)
    assert public.mass_message == 0


def test_after_a_positive_public_exchange_it_suggests_taking_it_one_on_one() -> None:
    ctx = _ctx(last_inbound="@brewbird wow thanks, love it", exchanges=1)
    result = ch.coach("Glad you like it, Anna!", ctx, [], member_sign_off=None, member_name=None, now=NOW)
    assert any(s.startswith("take it one-on-one") for s in result.suggestions)
    cold = ch.coach(
        "Glad you like it, Anna!", _ctx(exchanges=1), [], member_sign_off=None, member_name=None, now=NOW
    )
    assert not any(s.startswith("take it one-on-one") for s in cold.suggestions)


def test_when_a_thread_is_ending_it_suggests_a_follow_up_question() -> None:
    ctx = _ctx(last_inbound="ok thanks")
    result = ch.coach("You're welcome, Anna!", ctx, [], member_sign_off=None, member_name=None, now=NOW)
    assert any(s.startswith("ask a follow-up question") for s in result.suggestions)
    asked = ch.coach(
        "You're welcome, Anna! How is the grinder?", ctx, [], member_sign_off=None, member_name=None, now=NOW
    )
    assert not any(s.startswith("ask a follow-up question") for s in asked.suggestions)
