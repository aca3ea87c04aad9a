from __future__ import annotations

from sqlalchemy import Engine

from mutuals.analytics.people import merge, resolution
from mutuals.config import get_settings
from mutuals.domain import Network
from mutuals.storage.db import transaction
from tests.analytics.people.helpers import fixture_identities, ident, load, load_fixture_identities, person_of


def _confidences(engine: Engine) -> tuple[dict[str, int], dict[tuple[int, int], float]]:
    ids = load_fixture_identities(engine)
    with transaction(engine) as conn:
        conf = resolution.pair_confidences(conn)
    return ids, conf


def test_labelled_pairs_have_precision_of_at_least_95_percent_at_the_auto_merge_threshold(
    engine: Engine,
) -> None:
    ids, conf = _confidences(engine)
    threshold = get_settings().people_auto_merge_threshold
    pairs = fixture_identities()["pairs"]
    assert len(pairs) >= 60
    assert sum(1 for p in pairs if not p[2]) >= 25, "hard negatives"
    above = [
        (a, b, same) for a, b, same in pairs if conf.get(tuple(sorted((ids[a], ids[b]))), 0.0) >= threshold
    ]
    true_pos = sum(1 for *_, same in above if same)
    assert true_pos >= 8, f"only {true_pos} labelled positives reach the threshold"
    assert true_pos / len(above) >= 0.95, [p for p in above if not p[2]]


def test_no_unlabelled_pair_of_the_fixture_reaches_the_auto_merge_threshold(engine: Engine) -> None:
    ids, conf = _confidences(engine)
    threshold = get_settings().people_auto_merge_threshold
    labelled = {tuple(sorted((ids[a], ids[b]))) for a, b, _ in fixture_identities()["pairs"]}
    key_of = {v: k for k, v in ids.items()}
    strong = [
        (key_of[a], key_of[b]) for (a, b), c in conf.items() if c >= threshold and (a, b) not in labelled
    ]
    assert strong == []


def test_most_labelled_positives_are_suggested_at_some_confidence(engine: Engine) -> None:
    ids, conf = _confidences(engine)
    positives = [(a, b) for a, b, same in fixture_identities()["pairs"] if same]
    found = [p for p in positives if conf.get(tuple(sorted((ids[p[0]], ids[p[1]]))), 0.0) >= 0.3]
    assert len(found) / len(positives) >= 0.8, set(positives) - set(found)


def test_each_suggestion_names_its_evidence(engine: Engine) -> None:
    load_fixture_identities(engine)
    with transaction(engine) as conn:
        found = resolution.suggestions(conn)
    assert found
    for s in found:
        assert s.evidence and 0 < s.confidence <= 1
        assert s.person_a < s.person_b
    reasons = " ".join(e for s in found for e in s.evidence)
    for words in ("e-mail", "links to", "same handle", "same name"):
        assert words in reasons, words


def test_a_shared_role_address_is_no_evidence(engine: Engine) -> None:
    load(
        engine,
        [
            ident(Network.LINKEDIN, "mia", "Mia", email="info@shop.example"),
            ident(Network.FACEBOOK, "olle", "Olle", email="info@shop.example"),
        ],
    )
    with transaction(engine) as conn:
        assert resolution.suggestions(conn) == []


def test_profile_links_are_read_from_bios_and_urls() -> None:
    found = resolution.linked_profiles(
        "me: https://x.com/Anna_B, https://www.instagram.com/anna.b/ , @anna@social.example "
        "and https://mastodon.example/@anna bsky.app/profile/anna.bsky.social linkedin.com/in/anna-b"
    )
    assert found == {
        "x:anna_b",
        "instagram:anna.b",
        "mastodon:anna@social.example",
        "mastodon:anna@mastodon.example",
        "bluesky:anna.bsky.social",
        "linkedin:anna-b",
    }


def test_auto_merge_merges_only_pairs_at_or_above_the_threshold(engine: Engine) -> None:
    ids, conf = _confidences(engine)
    threshold = get_settings().people_auto_merge_threshold
    with transaction(engine) as conn:
        done = merge.auto_merge(conn, threshold)
    assert done and all(d["confidence"] >= threshold for d in done)
    for (a, b), c in conf.items():
        if c < 0.5:
            continue
        if c >= threshold:
            assert person_of(engine, a) == person_of(engine, b)
    # Ana Rivas is not Ana Rivera, whatever was merged.
    assert person_of(engine, ids["rivas_x"]) != person_of(engine, ids["ana_x"])


def test_identities_split_apart_are_not_suggested_again(engine: Engine) -> None:
    ids = load_fixture_identities(engine)
    a, b = person_of(engine, ids["tom_x"]), person_of(engine, ids["tom_ig"])
    with transaction(engine) as conn:
        merge.merge(conn, a, b)
        merge.split(conn, a, str(ids["tom_ig"]))
        pairs = {(s.identity_a.id, s.identity_b.id) for s in resolution.suggestions(conn)}
        assert tuple(sorted((ids["tom_x"], ids["tom_ig"]))) not in pairs
        merge.undo(conn)  # the split
        merge.undo(conn)  # the merge
        pairs = {(s.identity_a.id, s.identity_b.id) for s in resolution.suggestions(conn)}
    assert tuple(sorted((ids["tom_x"], ids["tom_ig"]))) in pairs
