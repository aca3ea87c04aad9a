"""Natural keys for records the platform gives no id of its own."""

from __future__ import annotations

import hashlib

from mutuals.domain import Interaction


def interaction_key(rec: Interaction) -> str:
    """The platform's id, or ``"h:"`` + a hash of what makes the event itself (stable across runs)."""
    if rec.platform_id:
        return rec.platform_id
    ident = f"{rec.identity.network}:{rec.identity.platform_id}" if rec.identity else ""
    parts = (
        rec.kind,
        rec.direction,
        ident,
        rec.occurred_at.isoformat() if rec.occurred_at else "",
        rec.text or "",
        rec.post_ref or "",
        rec.target_ref or "",
        rec.thread_ref or "",
    )
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8", "surrogatepass"), digest_size=16)
    return "h:" + digest.hexdigest()
