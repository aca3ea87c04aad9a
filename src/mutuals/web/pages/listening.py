"""Listening: inbound sentiment over time (chart), themes with distinct people and their messages, and
spike alerts. Calls mutuals.analytics.listening; the pages only read. Clustering (slow: it embeds every
concern text) runs on ``POST /listening/refresh``, which managers and admins may ask for."""

from __future__ import annotations

import importlib.util
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select

from mutuals.errors import NotFoundError
from mutuals.storage import tables as t
from mutuals.storage.db import get_engine, transaction
from mutuals.web.auth import User
from mutuals.web.deps import Permission, RowId
from mutuals.web.templating import NavItem, render

router = APIRouter(include_in_schema=False)
NAV = NavItem("Listening", "/listening", "view", 40)
MODULES = ("alerts", "sentiment", "themes")
#: How far back the sentiment chart reaches from the newest inbound message, per period.
WINDOW = {"week": timedelta(weeks=26), "day": timedelta(days=60)}
MAX_THEMES = 50
MAX_ALERTS = 50
PAGE_SIZE = 50


def available() -> bool:
    try:
        return all(importlib.util.find_spec(f"mutuals.analytics.listening.{m}") for m in MODULES)
    except ImportError:
        return False


@router.get("/listening")
def listening_page(
    request: Request,
    period: str = Query("week", pattern="^(week|day)$"),
    refreshed: int | None = Query(None, ge=0, le=1),
    user: User = Depends(Permission("view")),
) -> Response:
    from mutuals.analytics.listening import alerts, sentiment, themes

    ix = t.interactions.c
    with get_engine().connect() as conn:
        newest = conn.execute(
            select(func.max(ix.occurred_at)).where(ix.direction == "inbound", ix.sentiment_label.is_not(None))
        ).scalar_one_or_none()
        since = newest - WINDOW[period] if newest is not None else None
        series = sentiment.sentiment_over_time(conn, since=since, period=period)
        all_themes = themes.list_themes(conn)
        stored = alerts.list_alerts(conn)
    shown = [
        {k: v for k, v in th.items() if k not in ("interaction_ids", "conversations")} for th in all_themes
    ]
    ctx = {
        "period": period,
        "since": since.isoformat()[:10] if since is not None else None,
        "sentiment": series,
        "chart": {
            "periods": [r["period"] for r in series],
            **{label: [r[label] for r in series] for label in ("negative", "neutral", "positive")},
            "negative_share": [r["negative_share"] for r in series],
        },
        "themes": shown[:MAX_THEMES],
        "themes_total": len(all_themes),
        "alerts": stored[:MAX_ALERTS],
        "alerts_total": len(stored),
        "refreshed": refreshed,
    }
    return render(request, "listening.html", ctx)


@router.get("/listening/themes/{theme_id}")
def theme_page(
    request: Request,
    theme_id: RowId,
    page: int = Query(1, ge=1, le=100_000),
    user: User = Depends(Permission("view")),
) -> Response:
    from mutuals.analytics.listening import themes

    with get_engine().connect() as conn:
        found = [th for th in themes.list_themes(conn) if th["id"] == theme_id]
        if not found:
            raise NotFoundError(f"there is no theme {theme_id} (it may have been merged into another)")
        theme = found[0]
        ids = sorted(theme["interaction_ids"], reverse=True)  # newest messages have the larger ids
        pages = max(1, -(-len(ids) // PAGE_SIZE))
        chunk = ids[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        messages = _messages(conn, chunk)
    ctx = {
        "theme": {k: v for k, v in theme.items() if k not in ("interaction_ids", "conversations")},
        "messages": messages,
        "page": page,
        "pages": pages,
        "trend": {"weeks": list(theme["trend"]), "messages": list(theme["trend"].values())},
    }
    return render(request, "listening_theme.html", ctx)


def _messages(conn: Any, ids: list[int]) -> list[dict[str, Any]]:
    if not ids:
        return []
    ix, idt = t.interactions.c, t.identities.c
    rows = conn.execute(
        select(
            ix.id,
            ix.network,
            ix.kind,
            ix.occurred_at,
            ix.text,
            ix.sentiment_label,
            idt.handle,
            idt.display_name,
            idt.person_id,
        )
        .select_from(t.interactions.outerjoin(t.identities, t.identities.c.id == ix.identity_id))
        .where(ix.id.in_(ids))
        .order_by(ix.occurred_at.desc(), ix.id.desc())
    )
    return [dict(r._mapping) for r in rows]


@router.post("/listening/refresh")
def refresh(request: Request, user: User = Depends(Permission("import"))) -> Response:
    """Assign new concern texts to themes (clustering everything the first time) and check for spikes."""
    from mutuals.analytics.listening import alerts, themes

    with transaction(get_engine()) as conn:
        themes.update_themes(conn)
        alerts.detect_alerts(conn)
    return RedirectResponse("/listening?refreshed=1", status_code=303)
