from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, select, update

from mutuals.domain import Interaction
from mutuals.domain.enums import Direction, InteractionKind
from mutuals.enrich.pipeline import enrich_pending
from mutuals.storage import tables as t
from tests.analytics.listening.helpers import BRAND, load, message

WHEN = datetime(2026, 11, 1, tzinfo=UTC)


def test_import_enriches_every_inbound_text_and_nothing_else(engine: Engine) -> None:
    texts = [
        "I love this, thank you!",
        "Where is my refund? This is terrible.",
        "Wie spät ist es heute Abend bei euch?",
    ]
    records = [message(i, i, WHEN, text) for i, text in enumerate(texts)]
    records.append(
        Interaction(
            account=BRAND,
            kind=InteractionKind.REPLY,
            direction=Direction.OUTBOUND,
            occurred_at=WHEN,
            platform_id="out1",
            text="Sorry to hear that, we are on it",
        )
    )
    load(engine, records)
    ix = t.interactions
    with engine.connect() as conn:
        rows = {
            r.text: r
            for r in conn.execute(
                select(
                    ix.c.text,
                    ix.c.direction,
                    ix.c.sentiment_label,
                    ix.c.sentiment_score,
                    ix.c.language,
                    ix.c.intents,
                )
            )
        }
    assert rows[texts[0]].sentiment_label == "positive" and "praise" in rows[texts[0]].intents.split(",")
    neg = rows[texts[1]]
    assert neg.sentiment_label == "negative" and neg.sentiment_score < 0
    assert set(neg.intents.split(",")) >= {"complaint", "question"}
    assert rows[texts[2]].sentiment_label == "unsupported" and rows[texts[2]].language == "de"
    out = rows["Sorry to hear that, we are on it"]
    assert out.sentiment_label is None and out.intents is None


def test_enriching_again_only_touches_rows_not_done_yet(engine: Engine) -> None:
    load(engine, [message(i, i, WHEN, f"message number {i}, thanks") for i in range(5)])
    with engine.begin() as conn:
        assert enrich_pending(conn) == 0
        conn.execute(update(t.interactions).where(t.interactions.c.id <= 2).values(sentiment_label=None))
        assert enrich_pending(conn, batch_size=1) == 2
