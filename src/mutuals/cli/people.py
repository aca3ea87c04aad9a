"""``mutuals people ...``: profiles, identity resolution, stages, reciprocity, keep-in-touch, quality.

Thin wrappers over mutuals.analytics.people; every read command has --json."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

import typer

from mutuals.analytics.people import keep_in_touch, merge, profile, quality, reciprocity, resolution, stages
from mutuals.analytics.people.common import find_person, person_label, utcnow
from mutuals.cli.output import console, print_json, table
from mutuals.cli.params import parse_when
from mutuals.config import get_settings
from mutuals.errors import InvalidInputError
from mutuals.storage.db import get_engine, transaction

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
PersonArg = Annotated[str, typer.Argument(help="A person: id, @handle or network:handle.")]

people_app = typer.Typer(
    help="People across networks: profiles, merges, stages, keep-in-touch.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(people_app, name="people")


@people_app.command("list")
def list_(
    stage: Annotated[str | None, typer.Option("--stage", help="Only people at this stage.")] = None,
    tag: Annotated[str | None, typer.Option("--tag", help="Only people with this tag.")] = None,
    sort: Annotated[str, typer.Option("--sort", help="score, last_seen or owed.")] = "score",
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many people to show.")] = 50,
    json_: JsonOpt = False,
) -> None:
    """People with their relationship score, stage, what we owe them and when we last had contact."""
    with transaction(get_engine()) as conn:
        rows = profile.list_people(conn, stage=stage, tag=tag, sort=sort, limit=limit)
        stages.refresh_stages(conn, person_ids=[int(r["id"]) for r in rows])  # the people looked at
    if json_:
        print_json(rows)
        return
    table(
        "People",
        ["id", "name", "identities", "score", "stage", "owed", "last seen"],
        [
            (
                r["id"],
                r["name"],
                r["identities"],
                r["score"],
                r["stage"],
                r["owed"],
                (r["last_seen"] or "")[:10],
            )
            for r in rows
        ],
    )


@people_app.command("show")
def show(
    person: PersonArg,
    limit: Annotated[int, typer.Option("--limit", min=0, help="Timeline entries to show (0: all).")] = 100,
    json_: JsonOpt = False,
) -> None:
    """A person's profile: identities, fields, tags, notes, score, stage and timeline, newest first."""
    with transaction(get_engine()) as conn:
        pid = find_person(conn, person)
        stages.refresh_stages(conn, person_ids=[pid])
        data = profile.person_profile(conn, pid, limit=limit or None)
    if json_:
        print_json(data)
        return
    _print_profile(data)


def _print_profile(d: dict[str, Any]) -> None:
    console.print(f"[bold]{d['name']}[/bold] (person {d['id']}) — {d['interactions']} interactions")
    table(
        "Identities",
        ["id", "network", "handle", "name", "platform id"],
        [(i["id"], i["network"], i["handle"], i["display_name"], i["platform_id"]) for i in d["identities"]],
    )
    st = d["stage"]
    console.print(
        f"stage: [bold]{st['stage']}[/bold]" + (" (set by hand)" if st["overridden"] else " (by the rules)")
    )
    for h in d["stage_history"][:3]:
        console.print(f"  {h['at'][:10]} {h['from'] or '-'} -> {h['to']} ({h['source']})")
    if d["tags"]:
        console.print("tags: " + ", ".join(d["tags"]))
    for name, value in d["fields"].items():
        console.print(f"{name}: {value}")
    sc = d["score"]
    table(
        f"Relationship score {sc['score']}",
        ["part", "points", "because"],
        [(k, v, sc["explained"].get(k, "")) for k, v in sc["parts"].items()],
    )
    rec = d["reciprocity"]
    console.print(
        f"they gave {rec['given']} points {rec['they_gave']}, we gave back {rec['given_back']} "
        f"{rec['we_gave']}: owed {rec['owed']}"
    )
    kit = d["keep_in_touch"]
    if kit:
        console.print(
            f"keep in touch every {kit['cadence_days']} days; "
            f"last contact {(kit['last_contact'] or 'never')[:10]}"
            + (" — [bold]due[/bold]" if kit["due"] else f", next by {(kit['due_at'] or '')[:10]}")
        )
    table(
        "Timeline (newest first)",
        ["when", "what", "dir", "network", "depth", "text"],
        [
            (
                (e["at"] or "undated")[:16],
                e["kind"],
                {"inbound": "in", "outbound": "out"}.get(e["direction"] or "", ""),
                e["network"] or "",
                e["depth"],
                (e["text"] or "")[:70],
            )
            for e in d["timeline"]
        ],
    )


@people_app.command("suggestions")
def suggestions(
    min_confidence: Annotated[
        float, typer.Option("--min-confidence", min=0.0, max=1.0, help="Hide weaker suggestions.")
    ] = 0.3,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many suggestions to show.")] = 50,
    auto_merge: Annotated[
        bool,
        typer.Option("--auto-merge", help="Merge those at or above MUTUALS_PEOPLE_AUTO_MERGE_THRESHOLD."),
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Pairs of people who are probably one person, with a confidence and the evidence."""
    threshold = get_settings().people_auto_merge_threshold
    with transaction(get_engine()) as conn:
        merged = merge.auto_merge(conn, threshold) if auto_merge else []
        if not auto_merge:
            resolution.rebuild_keys(conn)  # the CLI re-keys everyone: names and profiles may have changed
        found = resolution.suggestions(conn, min_confidence=min_confidence, rebuild=False)
    rows = [s.as_dict() | {"auto_merge": s.confidence >= threshold} for s in found[:limit]]
    if json_:
        print_json({"threshold": threshold, "merged": merged, "suggestions": rows, "total": len(found)})
        return
    for m in merged:
        console.print(f"merged person {m['merged']} into {m['kept']} (confidence {m['confidence']:.2f})")
    table(
        f"Merge suggestions ({len(found)}; auto-merge at {threshold})",
        ["A", "B", "confidence", "evidence"],
        [
            (
                f"{s['person_a']} {s['identity_a']['network']}:{s['identity_a']['handle']}",
                f"{s['person_b']} {s['identity_b']['network']}:{s['identity_b']['handle']}",
                f"{s['confidence']:.2f}",
                "; ".join(s["evidence"]),
            )
            for s in rows
        ],
    )


@people_app.command("merge")
def merge_(
    a: Annotated[str, typer.Argument(help="The person to keep.")],
    b: Annotated[str, typer.Argument(help="The person merged into A.")],
) -> None:
    """Merge person B into person A (undo with mutuals people undo)."""
    with transaction(get_engine()) as conn:
        pa, pb = find_person(conn, a), find_person(conn, b)
        merge.merge(conn, pa, pb)
        label = person_label(conn, pa)
    console.print(f"merged person {pb} into {label}")


@people_app.command("split")
def split(
    person: PersonArg,
    identity: Annotated[str, typer.Argument(help="The identity to split off: its id or network:handle.")],
) -> None:
    """Move one identity of a person to a person of its own."""
    with transaction(get_engine()) as conn:
        pid = find_person(conn, person)
        new_id, _ = merge.split(conn, pid, identity)
    console.print(f"split {identity} off person {pid}: it is now person {new_id}")


@people_app.command("undo")
def undo() -> None:
    """Undo the newest merge or split."""
    with transaction(get_engine()) as conn:
        done = merge.undo(conn)
    console.print(f"undid the {done['undone']} of persons {done['person']} and {done['other_person']}")


@people_app.command("tag")
def tag(person: PersonArg, name: Annotated[str, typer.Argument(help="The tag.")]) -> None:
    """Tag a person."""
    with transaction(get_engine()) as conn:
        pid = find_person(conn, person)
        added = profile.add_tag(conn, pid, name)
    console.print(f"tagged person {pid} {name!r}" if added else f"person {pid} already has the tag {name!r}")


@people_app.command("note")
def note(person: PersonArg, text: Annotated[str, typer.Argument(help="The note.")]) -> None:
    """Add a note to a person's timeline."""
    with transaction(get_engine()) as conn:
        pid = find_person(conn, person)
        profile.add_note(conn, pid, text)
    console.print(f"noted on person {pid}")


@people_app.command("field")
def field(
    person: PersonArg,
    name: Annotated[str, typer.Argument(help="The field's name.")],
    value: Annotated[str, typer.Argument(help="Its value.")],
) -> None:
    """Set a custom field of a person (company, city, birthday...)."""
    with transaction(get_engine()) as conn:
        pid = find_person(conn, person)
        profile.set_field(conn, pid, name, value)
    console.print(f"set {name} of person {pid}")


@people_app.command("log")
def log(
    person: PersonArg,
    met: Annotated[bool, typer.Option("--met", help="We met in person.")] = False,
    call: Annotated[bool, typer.Option("--call", help="We had a call.")] = False,
    email: Annotated[bool, typer.Option("--email", help="We exchanged e-mail.")] = False,
    note: Annotated[str | None, typer.Option("--note", help="What it was about.")] = None,
    when: Annotated[
        str | None, typer.Option("--when", help="When (YYYY-MM-DD or ISO time; default now).")
    ] = None,
    account: Annotated[
        str | None, typer.Option("--account", help="Our account to file it under (network:handle).")
    ] = None,
) -> None:
    """Log offline contact (a meeting, call or e-mail); it resets keep-in-touch clocks."""
    chosen = [k for k, on in (("met", met), ("call", call), ("email", email)) if on]
    if len(chosen) != 1:
        raise InvalidInputError("say how you were in touch: exactly one of --met, --call, --email")
    with transaction(get_engine()) as conn:
        pid = find_person(conn, person)
        profile.log_contact(conn, pid, chosen[0], note, parse_when(when, "--when"), account)
    console.print(f"logged {chosen[0]} with person {pid}")


@people_app.command("cadence")
def cadence(
    args: Annotated[list[str], typer.Argument(help="PERSON DAYS, or DAYS with --tag.")],
    tag: Annotated[
        str | None, typer.Option("--tag", help="Set the cadence for everybody with this tag.")
    ] = None,
) -> None:
    """Keep in touch with a person (or everybody with a tag) every DAYS days; 0 removes it."""
    expected = 1 if tag else 2
    if len(args) != expected or not args[-1].isdigit():
        raise InvalidInputError(
            "usage: mutuals people cadence PERSON DAYS, or mutuals people cadence --tag TAG DAYS"
        )
    days = int(args[-1])
    with transaction(get_engine()) as conn:
        if tag:
            keep_in_touch.set_cadence(conn, days, tag=tag.strip().lower())
            who = f"everybody tagged {tag!r}"
        else:
            pid = find_person(conn, args[0])
            keep_in_touch.set_cadence(conn, days, person_id=pid)
            who = f"person {pid}"
    console.print(f"keep in touch with {who} every {days} days" if days else f"removed the cadence of {who}")


@people_app.command("due")
def due(json_: JsonOpt = False) -> None:
    """People whose keep-in-touch cadence has run out, most overdue first."""
    with get_engine().connect() as conn:
        rows = keep_in_touch.due(conn)
    if json_:
        print_json(rows)
        return
    table(
        "Due to get in touch",
        ["id", "name", "every", "last contact", "overdue (days)"],
        [
            (
                r["person"],
                r["name"],
                r["cadence_days"],
                (r["last_contact"] or "never")[:10],
                r["overdue_days"],
            )
            for r in rows
        ],
    )


@people_app.command("engage-back")
def engage_back(
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many people to show.")] = 50,
    json_: JsonOpt = False,
) -> None:
    """Who supported us most without us returning it, weighted by the relationship."""
    with get_engine().connect() as conn:
        rows = reciprocity.engage_back(conn, utcnow(), limit)
    if json_:
        print_json(rows)
        return
    table(
        "Engage back",
        ["id", "name", "owed", "they gave", "we gave", "score", "rank"],
        [
            (r["person"], r["name"], r["owed"], r["given"], r["given_back"], r["score"], r["rank"])
            for r in rows
        ],
    )


@people_app.command("stage")
def stage(
    person: PersonArg,
    name: Annotated[str, typer.Argument(help="The stage to pin, or auto to go back to the rules.")],
) -> None:
    """Override a person's funnel stage."""
    with transaction(get_engine()) as conn:
        pid = find_person(conn, person)
        stages.refresh_stages(conn, person_ids=[pid])
        res = stages.set_override(conn, pid, name)
    console.print(
        f"person {pid}: {res['from']} -> {res['to']}" + ("" if res["overridden"] else " (by the rules)")
    )


@people_app.command("funnel")
def funnel(
    months: Annotated[int, typer.Option("--months", min=1, max=36, help="How many 30-day periods back.")] = 3,
    until: Annotated[
        str | None, typer.Option("--until", help="End of the last period (default now).")
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Conversion between funnel stages per 30-day period."""
    end = parse_when(until, "--until") or utcnow()
    with get_engine().connect() as conn:
        periods = [
            stages.conversion(conn, end - timedelta(days=30 * (k + 1)), end - timedelta(days=30 * k))
            for k in reversed(range(months))
        ]
    if json_:
        print_json(periods)
        return
    for p in periods:
        table(
            f"{p['start'][:10]} → {p['end'][:10]}",
            ["stage", "at start", "moved up", "conversion", "at end"],
            [
                (
                    s,
                    v["at_start"],
                    v["moved_up"],
                    "" if v["conversion"] is None else f"{v['conversion']:.0%}",
                    v["at_end"],
                )
                for s, v in p["stages"].items()
            ],
        )


@people_app.command("quality")
def quality_(
    account: Annotated[
        str | None, typer.Option("--account", help="Only this account (network:handle).")
    ] = None,
    days: Annotated[int, typer.Option("--days", min=1, max=3650, help="Length of the period.")] = 30,
    until: Annotated[str | None, typer.Option("--until", help="End of the period (default now).")] = None,
    json_: JsonOpt = False,
) -> None:
    """Quality over quantity per account: two-way conversations, repeat engagers, reciprocation, depth."""
    end = parse_when(until, "--until") or utcnow()
    with get_engine().connect() as conn:
        rows = quality.quality(conn, end, days=days, account=account)
    if json_:
        print_json(rows)
        return
    keys = [
        "followers_at_end",
        "active_people",
        "two_way_conversations",
        "engagers",
        "repeat_engagers",
        "reciprocation_rate",
        "moved_to_dm",
        "moved_to_email",
        "moved_offline",
        "median_relationship_age_days",
    ]
    table(
        f"Quality, {days} days to {end.date().isoformat()}",
        ["account", *keys],
        [(r["account"], *[r[k] for k in keys]) for r in rows],
    )
