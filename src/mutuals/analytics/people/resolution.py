"""Identity resolution: which identities on different people are probably the same person.

Each identity gets match keys (``identity_keys``): its normalised handle, e-mail addresses found in its
profile, its normalised full name and name tokens, its own profile address and the profile addresses its
bio / links point to. Candidate pairs are a self-join of that table on (match, value), skipping values
shared by more than ``BLOCK_MAX`` identities (a common first name is no evidence). Each candidate pair is
then scored from its evidence; see docs/people.md for the weights.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import Connection, delete, exists, func, insert, select

from mutuals.storage import people_tables as pt
from mutuals.storage import tables as t

BLOCK_MAX = 50
_PAGE = 2000
_IN_CHUNK = 400

# Evidence weights: the probability each kind of evidence alone gives; combined by noisy-OR.
W_SAME_ACCOUNT = 0.99
W_EMAIL = 0.97
W_LINK_BOTH = 0.98
W_LINK = 0.92
W_HANDLE_LONG = 0.85  # normalised handle of 8+ characters
W_HANDLE_MID = 0.75  # 6-7 characters
W_HANDLE_SHORT = 0.5  # 4-5 characters
W_HANDLE_IS_NAME = 0.5
W_NAME_EXACT = 0.6  # same full name (two or more words)
W_NAME_CLOSE = 0.45  # token_sort_ratio >= 92
W_NAME_SIMILAR = 0.3  # token_sort_ratio >= 85
W_FIRST_NAME = 0.15  # same single-word name
F_NAMES_DIFFER = 0.5  # both have full names and they are unlike (ratio < 60)
F_SAME_NETWORK = 0.8  # two accounts of one person on one network are the exception

_EMAIL = re.compile(r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}", re.I)
_URL_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("x", re.compile(r"(?:twitter|x)\.com/(?:#!/)?@?([a-z0-9_]{1,15})\b", re.I)),
    ("instagram", re.compile(r"instagram\.com/([a-z0-9_.]{1,30})", re.I)),
    ("bluesky", re.compile(r"bsky\.app/profile/([a-z0-9.:-]+)", re.I)),
    ("linkedin", re.compile(r"linkedin\.com/in/([a-z0-9_%-]+)", re.I)),
    ("facebook", re.compile(r"facebook\.com/([a-z0-9.]{5,})", re.I)),
)
_MASTODON_URL = re.compile(r"https?://([a-z0-9.-]+\.[a-z]{2,})/@([a-z0-9_]+)\b", re.I)
_MASTODON_HANDLE = re.compile(r"(?<![\w/])@([a-z0-9_]+)@([a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})", re.I)
# Shared role addresses say nothing about who someone is.
ROLE_MAILBOXES = {
    "info",
    "hello",
    "contact",
    "support",
    "team",
    "sales",
    "office",
    "admin",
    "press",
    "mail",
    "noreply",
    "no-reply",
    "help",
    "jobs",
    "marketing",
    "hi",
    "enquiries",
    "service",
}
_NOT_PROFILES = {"share", "intent", "home", "hashtag", "search", "p", "reel", "explore", "i"}


# -- match keys ------------------------------------------------------------------------------------
def name_tokens(name: str | None) -> list[str]:
    """Lower-case ASCII words of a display name (accents folded, emoji and punctuation dropped)."""
    if not name:
        return []
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.findall(r"[a-z0-9]+", folded)


def handle_key(network: str, handle: str | None) -> str | None:
    """A handle comparable across networks: no ``@``, no Mastodon server, no Bluesky domain, no ``._-``."""
    if not handle:
        return None
    h = handle.strip().lstrip("@").lower()
    if h.startswith("did:"):
        return None
    if network == "mastodon" or ("@" in h and network != "email"):
        h = h.split("@")[0]
    elif network == "bluesky" and "." in h:
        h = h.split(".")[0]
    h = re.sub(r"[._-]", "", h)
    return h if len(h) >= 4 and h.isascii() else None


def profile_key(network: str, handle: str | None) -> str | None:
    """``network:handle`` as a profile address names it (Mastodon keeps its server)."""
    if not handle:
        return None
    h = handle.strip().lstrip("@").lower()
    return f"{network}:{h}" if h else None


def _strings(value: Any, depth: int = 0) -> Iterator[str]:
    if depth > 4:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v, depth + 1)
    elif isinstance(value, list):
        for v in value[:50]:
            yield from _strings(v, depth + 1)


def linked_profiles(text: str) -> set[str]:
    """Profile addresses (``network:handle``) a bio or link field points to."""
    found: set[str] = set()
    for network, pattern in _URL_PATTERNS:
        for m in pattern.finditer(text):
            name = m.group(1).strip(".").lower()
            if name and name not in _NOT_PROFILES:
                found.add(f"{network}:{name}")
    for m in _MASTODON_URL.finditer(text):
        host = m.group(1).lower()
        if not any(s in host for s in ("twitter.", "x.com", "instagram.", "bsky.", "linkedin.", "facebook.")):
            found.add(f"mastodon:{m.group(2).lower()}@{host}")
    for m in _MASTODON_HANDLE.finditer(text):
        found.add(f"mastodon:{m.group(1).lower()}@{m.group(2).lower()}")
    return found


def identity_keys(
    network: str, handle: str | None, display_name: str | None, profile: Any
) -> set[tuple[str, str, str]]:
    """The (match, role, value) keys of one identity."""
    keys: set[tuple[str, str, str]] = set()
    hk = handle_key(network, handle)
    if hk:
        keys.add(("handle", "self", hk))
    own = profile_key(network, handle)
    if own:
        keys.add(("profile", "self", own))
    tokens = name_tokens(display_name)
    if len(tokens) >= 2:
        keys.add(("name", "self", " ".join(sorted(tokens))))
        compact = "".join(tokens)
        if len(compact) >= 5:
            keys.add(("handle", "name", compact))
    elif len(tokens) == 1 and len(tokens[0]) >= 3:
        keys.add(("name", "first", tokens[0]))
    for tok in tokens:
        if len(tok) >= 3:
            keys.add(("token", "self", tok))
    for text in _strings(profile):
        for email in _EMAIL.findall(text):
            if email.split("@")[0].lower() not in ROLE_MAILBOXES:
                keys.add(("email", "self", email.lower()))
        for prof in linked_profiles(text):
            if prof != own:
                keys.add(("profile", "link", prof))
    return {(m, r, v[:255]) for m, r, v in keys}


def rebuild_keys(conn: Connection) -> int:
    """Recompute every identity's match keys (one pass over identities, in pages). Returns the count."""
    conn.execute(delete(pt.identity_keys))
    return _add_keys(conn, only_missing=False)


def refresh_keys(conn: Connection) -> int:
    """Bring the match keys up to date incrementally: drop the keys of identities that are gone and key
    the identities that have none yet (new since the last run). Returns how many keys were added.

    An identity whose name or profile changed keeps its old keys until :func:`rebuild_keys` runs
    (``mutuals people suggestions`` does that)."""
    kc, ic = pt.identity_keys.c, t.identities.c
    gone = ~exists().where(ic.id == kc.identity_id).correlate(pt.identity_keys)
    # Write only when there is something to change: a page view must not take the write lock for nothing.
    if conn.execute(select(kc.id).where(gone).limit(1)).first() is not None:
        conn.execute(delete(pt.identity_keys).where(gone))
    return _add_keys(conn, only_missing=True)


def _add_keys(conn: Connection, *, only_missing: bool) -> int:
    ic, kc = t.identities.c, pt.identity_keys.c
    last, total = 0, 0
    while True:
        q = select(ic.id, ic.network, ic.handle, ic.display_name, ic.profile).where(ic.id > last)
        if only_missing:
            q = q.where(~exists().where(kc.identity_id == ic.id))
        page = conn.execute(q.order_by(ic.id).limit(_PAGE)).all()
        if not page:
            return total
        rows = [
            {"identity_id": r.id, "match": m, "role": role, "value": v}
            for r in page
            for m, role, v in identity_keys(r.network, r.handle, r.display_name, r.profile)
        ]
        if rows:
            conn.execute(insert(pt.identity_keys), rows)
        total += len(rows)
        last = page[-1].id


# -- candidates and scoring -------------------------------------------------------------------------
@dataclass
class Pair:
    a: int
    b: int
    signals: set[str] = field(default_factory=set)


def candidate_pairs(conn: Connection) -> dict[tuple[int, int], Pair]:
    """Identity pairs on different people that share a match key (one self-join)."""
    k1 = pt.identity_keys.alias("k1")
    k2 = pt.identity_keys.alias("k2")
    kc = pt.identity_keys.c
    blocks = (
        select(kc.match, kc.value)
        .group_by(kc.match, kc.value)
        .having(func.count() <= BLOCK_MAX, func.count() > 1)
        .subquery()
    )
    i1, i2 = t.identities.alias("i1"), t.identities.alias("i2")
    q = (
        select(k1.c.identity_id, k2.c.identity_id, k1.c.match, k1.c.role, k2.c.role)
        .select_from(k1)
        .join(blocks, (blocks.c.match == k1.c.match) & (blocks.c.value == k1.c.value))
        .join(k2, (k2.c.match == k1.c.match) & (k2.c.value == k1.c.value))
        .join(i1, i1.c.id == k1.c.identity_id)
        .join(i2, i2.c.id == k2.c.identity_id)
        .where(k1.c.identity_id < k2.c.identity_id, i1.c.person_id != i2.c.person_id)
    )
    pairs: dict[tuple[int, int], Pair] = {}
    for a, b, match, ra, rb in conn.execute(q):
        signal = _signal(match, ra, rb)
        if signal is None:
            continue
        pair = pairs.setdefault((a, b), Pair(a, b))
        pair.signals.add(signal)
    return pairs


def _signal(match: str, ra: str, rb: str) -> str | None:
    roles = {ra, rb}
    if match == "profile":
        if roles == {"self"}:
            return "same_account"
        if roles == {"self", "link"}:
            return "link_a" if ra == "link" else "link_b"
        return None
    if match == "handle":
        if roles == {"self"}:
            return "handle"
        if roles == {"self", "name"}:
            return "handle_is_name"
        return None
    if match == "email":
        return "email"
    if match == "name":
        return "name" if roles == {"self"} else "first_name" if roles == {"first"} else None
    if match == "token":
        return "token"
    return None


@dataclass(frozen=True)
class IdentityInfo:
    id: int
    person_id: int
    network: str
    handle: str | None
    display_name: str | None


def _infos(conn: Connection, ids: set[int]) -> dict[int, IdentityInfo]:
    ic = t.identities.c
    out: dict[int, IdentityInfo] = {}
    ordered = sorted(ids)
    for i in range(0, len(ordered), _IN_CHUNK):
        chunk = ordered[i : i + _IN_CHUNK]
        for r in conn.execute(
            select(ic.id, ic.person_id, ic.network, ic.handle, ic.display_name).where(ic.id.in_(chunk))
        ):
            out[r.id] = IdentityInfo(r.id, r.person_id, r.network, r.handle, r.display_name)
    return out


def score_pair(a: IdentityInfo, b: IdentityInfo, signals: set[str]) -> tuple[float, list[str]]:
    """The confidence that ``a`` and ``b`` are one person, and the evidence, one line each."""
    ha = a.handle or "?"
    probs: list[tuple[float, str]] = []
    if "same_account" in signals:
        probs.append((W_SAME_ACCOUNT, f"the same {a.network} account @{ha} seen in two exports"))
    if "email" in signals:
        probs.append((W_EMAIL, "the same e-mail address in both profiles"))
    links = {s for s in signals if s.startswith("link_")}
    if len(links) == 2:
        probs.append((W_LINK_BOTH, f"their profiles link to each other ({a.network}, {b.network})"))
    elif links:
        src, dst = (a, b) if "link_a" in links else (b, a)
        probs.append((W_LINK, f"the {src.network} profile links to {dst.network}:@{dst.handle}"))
    if "handle" in signals:
        key = handle_key(a.network, a.handle) or ""
        w = W_HANDLE_LONG if len(key) >= 8 else W_HANDLE_MID if len(key) >= 6 else W_HANDLE_SHORT
        probs.append((w, f"the same handle '{key}' on {a.network} and {b.network}"))
    if "handle_is_name" in signals:
        probs.append((W_HANDLE_IS_NAME, "one's handle spells the other's name"))
    ta, tb = name_tokens(a.display_name), name_tokens(b.display_name)
    ratio = fuzz.token_sort_ratio(" ".join(ta), " ".join(tb)) if ta and tb else 0.0
    full = len(ta) >= 2 and len(tb) >= 2
    if full and sorted(ta) == sorted(tb):
        probs.append((W_NAME_EXACT, f"the same name '{a.display_name}'"))
    elif full and ratio >= 92:
        probs.append((W_NAME_CLOSE, f"nearly the same name ({a.display_name!r} / {b.display_name!r})"))
    elif full and ratio >= 85:
        probs.append((W_NAME_SIMILAR, f"similar names ({a.display_name!r} / {b.display_name!r})"))
    elif ta and tb and ta == tb:
        probs.append((W_FIRST_NAME, f"the same one-word name {a.display_name!r}"))
    if not probs:
        return 0.0, []
    miss = 1.0
    for p, _ in probs:
        miss *= 1 - p
    conf = 1 - miss
    evidence = [f"{why} (+{p:.2f})" for p, why in probs]
    if "same_account" not in signals:
        if full and ratio < 60:
            conf *= F_NAMES_DIFFER
            evidence.append(
                f"but the names differ ({a.display_name!r} / {b.display_name!r}) (x{F_NAMES_DIFFER})"
            )
        if a.network == b.network:
            conf *= F_SAME_NETWORK
            evidence.append(f"but both are on {a.network} (x{F_SAME_NETWORK})")
    return round(conf, 4), evidence


# -- suggestions ------------------------------------------------------------------------------------
@dataclass
class Suggestion:
    person_a: int
    person_b: int
    confidence: float
    evidence: list[str]
    identity_a: IdentityInfo
    identity_b: IdentityInfo

    def as_dict(self) -> dict[str, Any]:
        def ident(i: IdentityInfo) -> dict[str, Any]:
            return {"id": i.id, "network": i.network, "handle": i.handle, "display_name": i.display_name}

        return {
            "person_a": self.person_a,
            "person_b": self.person_b,
            "confidence": self.confidence,
            "evidence": self.evidence,
            "identity_a": ident(self.identity_a),
            "identity_b": ident(self.identity_b),
        }


def _split_apart(conn: Connection) -> set[tuple[int, int]]:
    d = pt.identity_distinct.c
    rows = conn.execute(
        select(d.identity_id, d.other_identity_id)
        .join(pt.person_merges, pt.person_merges.c.id == d.merge_id)
        .where(pt.person_merges.c.undone_at.is_(None))
    )
    return {(min(a, b), max(a, b)) for a, b in rows}


def suggestions(conn: Connection, *, min_confidence: float = 0.3, rebuild: bool = True) -> list[Suggestion]:
    """Merge suggestions between people, best first: one per pair of people (their strongest pair of
    identities), skipping identities a user split apart. ``rebuild`` first brings the match keys up to
    date (incrementally, :func:`refresh_keys`); candidates come from the indexed self-join of the keys."""
    if rebuild:
        refresh_keys(conn)
    pairs = candidate_pairs(conn)
    apart = _split_apart(conn)
    infos = _infos(conn, {i for key in pairs for i in key})
    best: dict[tuple[int, int], Suggestion] = {}
    for (a, b), pair in pairs.items():
        if (a, b) in apart:
            continue
        ia, ib = infos[a], infos[b]
        conf, evidence = score_pair(ia, ib, pair.signals)
        if conf < min_confidence:
            continue
        if ia.person_id > ib.person_id:
            ia, ib = ib, ia
        key = (ia.person_id, ib.person_id)
        old = best.get(key)
        if old is None or conf > old.confidence:
            best[key] = Suggestion(ia.person_id, ib.person_id, conf, evidence, ia, ib)
    return sorted(best.values(), key=lambda s: (-s.confidence, s.person_a, s.person_b))


def pair_confidences(conn: Connection) -> dict[tuple[int, int], float]:
    """Confidence of every candidate identity pair (for evaluation): ``(min id, max id) -> confidence``."""
    rebuild_keys(conn)
    pairs = candidate_pairs(conn)
    infos = _infos(conn, {i for key in pairs for i in key})
    out: dict[tuple[int, int], float] = defaultdict(float)
    for (a, b), pair in pairs.items():
        out[(a, b)] = score_pair(infos[a], infos[b], pair.signals)[0]
    return dict(out)
