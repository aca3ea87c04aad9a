"""Enriching stored interactions: sentiment, language and intent for every inbound text not yet done.

Called by ingest after each import (ingest/runner.py), and safe to call at any time: it only touches
rows whose ``sentiment_label`` is NULL, in batches walked by id (keyset pagination), one UPDATE per row
sent with executemany.
"""

from __future__ import annotations

from sqlalchemy import Connection, and_, bindparam, select, update

from mutuals.enrich.intent import detect_intents
from mutuals.enrich.sentiment import analyze_sentiment
from mutuals.storage import tables as t

BATCH = 2000


def enrich_pending(conn: Connection, batch_size: int = BATCH) -> int:
    """Fill sentiment, language and intents of inbound interactions with text; returns rows done."""
    ix = t.interactions
    done = 0
    last_id = 0
    stmt = (
        update(ix)
        .where(ix.c.id == bindparam("row_id"))
        .values(
            sentiment_label=bindparam("s_label"),
            sentiment_score=bindparam("s_score"),
            language=bindparam("s_lang"),
            intents=bindparam("s_intents"),
        )
    )
    while True:
        rows = conn.execute(
            select(ix.c.id, ix.c.text)
            .where(
                and_(
                    ix.c.id > last_id,
                    ix.c.direction == "inbound",
                    ix.c.text.is_not(None),
                    ix.c.text != "",
                    ix.c.sentiment_label.is_(None),
                )
            )
            .order_by(ix.c.id)
            .limit(batch_size)
        ).all()
        if not rows:
            return done
        texts = [str(r.text) for r in rows]
        results = analyze_sentiment(texts)
        params = [
            {
                "row_id": r.id,
                "s_label": s.label,
                "s_score": s.score,
                "s_lang": s.language,
                "s_intents": ",".join(detect_intents(text, s.label if s.label != "unsupported" else None)),
            }
            for r, text, s in zip(rows, texts, results, strict=True)
        ]
        conn.execute(stmt, params)
        done += len(rows)
        last_id = rows[-1].id
