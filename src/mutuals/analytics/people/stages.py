"""Funnel stages: stranger → follower → engaged → conversation → lead → customer → advocate.

The rules are data (``stage_rules.json`` beside this module; a copy in ``$MUTUALS_HOME/stage_rules.json``
wins) compiled into one SQL ``CASE`` over the per-person activity aggregates, so the stage of everybody is
one query, and the stage *as it was* at any time is the same query over older interactions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Select, and_, case, delete, exists, func, insert, literal, or_, select
from sqlalchemy.sql import ColumnElement

from mutuals.analytics.people.common import has_identities, person_interactions, utcnow
from mutuals.analytics.people.score import activity
from mutuals.config import get_settings
from mutuals.errors import ConfigError, InvalidInputError
from mutuals.ingest.upsert import insert_for
from mutuals.storage import people_tables as pt
from mutuals.storage import tables as t
from mutuals.storage.types import UTCDateTime

STAGES = ("stranger", "follower", "engaged", "conversation", "lead", "customer", "advocate")
METRICS = (
    "follows",
    "engagements",
    "likes",
    "shares",
    "comments",
    "messages_in",
    "messages_out",
    "private",
    "offline",
)
DEFAULT_RULES = Path(__file__).with_name("stage_rules.json")
RULES_FILE = "stage_rules.json"

Rules = dict[str, list[dict[str, int]]]


def rules_path() -> Path:
    user = get_settings().home / RULES_FILE
    return user if user.is_file() else DEFAULT_RULES


def load_rules(path: Path | None = None) -> Rules:
    """The stage rules, checked: every stage known, every metric known, every threshold a count."""
    path = path or rules_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: the stage rules cannot be read ({exc})") from None
    rules = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(rules, dict):
        raise ConfigError(f'{path}: expected an object with a "rules" object')
    out: Rules = {}
    for stage, alts in rules.items():
        if stage not in STAGES or stage == "stranger":
            raise ConfigError(f"{path}: unknown stage {stage!r} (stages: {', '.join(STAGES[1:])})")
        if not isinstance(alts, list) or not all(isinstance(a, dict) and a for a in alts):
            raise ConfigError(f"{path}: stage {stage!r} needs a list of non-empty condition objects")
        for alt in alts:
            for metric, value in alt.items():
                known = metric in METRICS or metric.startswith(("tag:", "intent:"))
                if not known:
                    raise ConfigError(f"{path}: stage {stage!r} uses unknown metric {metric!r}")
                if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                    raise ConfigError(f"{path}: stage {stage!r}, {metric}: expected a whole number >= 0")
        out[stage] = alts
    return out


@dataclass(frozen=True)
class _Ctx:
    person: Any
    a: Any
    until: datetime | None


def _metric(ctx: _Ctx, name: str) -> ColumnElement[Any]:
    if name.startswith("tag:"):
        tc = pt.person_tags.c
        cond = [tc.person_id == ctx.person, tc.tag == name[4:]]
        if ctx.until is not None:
            cond.append(tc.created_at < ctx.until)
        return case((exists().where(*cond), 1), else_=0)
    if name.startswith("intent:"):
        i, ic = t.interactions.c, t.identities.c
        cond = [ic.person_id == ctx.person, i.direction == "inbound", i.intents.like(f"%{name[7:]}%")]
        if ctx.until is not None:
            cond.append(i.occurred_at < ctx.until)
        return select(func.count()).select_from(person_interactions()).where(*cond).scalar_subquery()
    if name == "follows":
        e, ic = t.follow_edges.c, t.identities.c
        cond = [ic.person_id == ctx.person, e.direction.in_(("follower", "friend"))]
        if ctx.until is None:
            cond.append(e.valid_to.is_(None))
        else:
            cond += [e.valid_from < ctx.until, or_(e.valid_to.is_(None), e.valid_to >= ctx.until)]
        return (
            select(func.count())
            .select_from(t.follow_edges.join(t.identities, t.identities.c.id == e.identity_id))
            .where(*cond)
            .scalar_subquery()
        )
    return func.coalesce(getattr(ctx.a.c, name), 0)


def rule_stage_expr(ctx: _Ctx, rules: Rules) -> ColumnElement[str]:
    whens = []
    for stage in reversed(STAGES[1:]):
        alts = rules.get(stage, [])
        if not alts:
            continue
        cond = or_(*[and_(*[_metric(ctx, m) >= v for m, v in alt.items()]) for alt in alts])
        whens.append((cond, literal(stage)))
    if not whens:
        return literal("stranger")
    return case(*whens, else_=literal("stranger"))


def _override(person: Any, until: datetime | None) -> Any:
    oc = pt.person_stage_overrides.c
    q = select(oc.stage).where(oc.person_id == person)
    if until is not None:
        q = q.where(oc.set_at < until)
    return q.order_by(oc.set_at.desc(), oc.id.desc()).limit(1).scalar_subquery()


def stages_query(
    now: datetime,
    *,
    until: datetime | None = None,
    rules: Rules | None = None,
    person_id: int | None = None,
) -> Select[Any]:
    """``person_id, rule_stage, stage`` (the override if any, else the rules) for every person (or one)."""
    rules = rules if rules is not None else load_rules()
    a = activity(now, until=until, person_id=person_id)
    pc = t.persons.c
    rule, stage = stage_exprs(a, rules, until)
    q = (
        select(pc.id.label("person_id"), rule.label("rule_stage"), stage.label("stage"))
        .select_from(t.persons.outerjoin(a, a.c.person_id == pc.id))
        .where(has_identities(pc.id))
    )
    return q.where(pc.id == person_id) if person_id is not None else q


def stage_exprs(
    a: Any, rules: Rules | None = None, until: datetime | None = None
) -> tuple[ColumnElement[str], ColumnElement[str]]:
    """(rule stage, stage) SQL expressions for ``persons`` outer-joined to an :func:`activity` ``a``."""
    rules = rules if rules is not None else load_rules()
    pc = t.persons.c
    rule = rule_stage_expr(_Ctx(pc.id, a, until), rules)
    return rule, func.coalesce(_override(pc.id, until), rule)


def refresh_stages(
    conn: Connection, now: datetime | None = None, *, person_ids: list[int] | None = None
) -> int:
    """Record, set-based, every person (or each of ``person_ids``: only their rows are read) whose rule
    stage changed since the last refresh. Returns how many."""
    now = now or utcnow()
    if person_ids is not None and not person_ids:
        return 0
    q = stages_query(now)
    if person_ids is not None:
        ids = select(t.persons.c.id).where(t.persons.c.id.in_(sorted(set(person_ids))))
        a = activity(now, person_ids=ids)
        rule, stage = stage_exprs(a)
        pc = t.persons.c
        q = (
            select(pc.id.label("person_id"), rule.label("rule_stage"), stage.label("stage"))
            .select_from(t.persons.outerjoin(a, a.c.person_id == pc.id))
            .where(has_identities(pc.id), pc.id.in_(ids))
        )
    current = q.subquery("current")
    sc = pt.person_stages.c
    base = current.outerjoin(pt.person_stages, sc.person_id == current.c.person_id)
    differs = or_(sc.stage.is_(None), sc.stage != current.c.rule_stage)
    when = literal(now, UTCDateTime())
    hc = pt.person_stage_history.c
    changed = int(conn.execute(select(func.count()).select_from(base).where(differs)).scalar_one())
    if not changed:
        return 0
    conn.execute(
        insert(pt.person_stage_history).from_select(
            [hc.person_id, hc.from_stage, hc.to_stage, hc.source, hc.changed_at],
            select(current.c.person_id, sc.stage, current.c.rule_stage, literal("rules"), when)
            .select_from(base)
            .where(differs),
        )
    )
    stmt = insert_for(conn, pt.person_stages).from_select(
        ["person_id", "stage", "since"],
        select(current.c.person_id, current.c.rule_stage, when).select_from(base).where(differs),
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["person_id"], set_={"stage": stmt.excluded.stage, "since": stmt.excluded.since}
    )
    conn.execute(stmt)
    return changed


def current_stage(conn: Connection, person_id: int, now: datetime | None = None) -> dict[str, Any]:
    now = now or utcnow()
    q = stages_query(now, person_id=person_id)
    row = conn.execute(q).mappings().first()
    if row is None:
        return {"stage": "stranger", "rule_stage": "stranger", "overridden": False}
    return {
        "stage": row["stage"],
        "rule_stage": row["rule_stage"],
        "overridden": _has_override(conn, person_id),
    }


def _has_override(conn: Connection, person_id: int) -> bool:
    oc = pt.person_stage_overrides.c
    return conn.execute(select(oc.id).where(oc.person_id == person_id).limit(1)).first() is not None


def set_override(conn: Connection, person_id: int, stage: str, now: datetime | None = None) -> dict[str, Any]:
    """Pin a person's stage (``auto`` goes back to the rules); the change goes into the history."""
    now = now or utcnow()
    stage = stage.strip().lower()
    if stage not in STAGES and stage != "auto":
        raise InvalidInputError(f"unknown stage {stage!r}: use one of {', '.join(STAGES)} or auto")
    before = current_stage(conn, person_id, now)["stage"]
    oc = pt.person_stage_overrides.c
    if stage == "auto":
        conn.execute(delete(pt.person_stage_overrides).where(oc.person_id == person_id))
    else:
        conn.execute(insert(pt.person_stage_overrides).values(person_id=person_id, stage=stage, set_at=now))
    after = current_stage(conn, person_id, now)["stage"]
    conn.execute(
        insert(pt.person_stage_history).values(
            person_id=person_id, from_stage=before, to_stage=after, source="override", changed_at=now
        )
    )
    from mutuals.analytics.people import summary

    summary.refresh_people(conn, [person_id])
    return {"person": person_id, "from": before, "to": after, "overridden": stage != "auto"}


def history(conn: Connection, person_id: int) -> list[dict[str, Any]]:
    hc = pt.person_stage_history.c
    rows = conn.execute(
        select(hc.from_stage, hc.to_stage, hc.source, hc.changed_at)
        .where(hc.person_id == person_id)
        .order_by(hc.changed_at.desc(), hc.id.desc())
    ).mappings()
    return [
        {
            "from": r["from_stage"],
            "to": r["to_stage"],
            "source": r["source"],
            "at": r["changed_at"].isoformat(),
        }
        for r in rows
    ]


def conversion(
    conn: Connection, start: datetime, end: datetime, now: datetime | None = None
) -> dict[str, Any]:
    """How people moved between stages from ``start`` to ``end``, from the data as it was at both times."""
    now = now or utcnow()
    rules = load_rules()
    s0 = stages_query(now, until=start, rules=rules).subquery("s0")
    s1 = stages_query(now, until=end, rules=rules).subquery("s1")
    rows = conn.execute(
        select(s0.c.stage, s1.c.stage, func.count())
        .select_from(s0.join(s1, s1.c.person_id == s0.c.person_id))
        .group_by(s0.c.stage, s1.c.stage)
    ).all()
    rank = {s: n for n, s in enumerate(STAGES)}
    per: dict[str, dict[str, Any]] = {s: {"at_start": 0, "at_end": 0, "moved_up": 0} for s in STAGES}
    moves: list[dict[str, Any]] = []
    for frm, to, n in rows:
        per[frm]["at_start"] += int(n)
        per[to]["at_end"] += int(n)
        if rank[to] > rank[frm]:
            per[frm]["moved_up"] += int(n)
        if frm != to:
            moves.append({"from": frm, "to": to, "people": int(n)})
    for s in STAGES:
        start_n = per[s]["at_start"]
        per[s]["conversion"] = round(per[s]["moved_up"] / start_n, 4) if start_n else None
    moves.sort(key=lambda m: (rank[m["from"]], rank[m["to"]]))
    return {"start": start.isoformat(), "end": end.isoformat(), "stages": per, "moves": moves}
