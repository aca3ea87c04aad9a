"""``mutuals followers ...``: who came and who left, why people leave, who stays, who the audience is.

Thin wrappers over mutuals.analytics.followers; every command has --json."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from mutuals.analytics.followers.audience import audience as audience_of
from mutuals.analytics.followers.changes import follower_changes
from mutuals.analytics.followers.retention import retention as retention_of
from mutuals.analytics.followers.why_left import why_left
from mutuals.cli.output import console, print_json, table
from mutuals.cli.params import parse_when
from mutuals.storage.db import get_engine

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
AccountOpt = Annotated[
    str | None,
    typer.Option("--account", help="One of our accounts: handle or network:handle (default: all)."),
]
DirectionOpt = Annotated[
    str, typer.Option("--direction", help="follower (who follows us), following (whom we follow) or friend.")
]

followers_app = typer.Typer(
    help="Follower history: changes, why people leave, retention, audience.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(followers_app, name="followers")


@followers_app.command("changes")
def changes(
    account: AccountOpt = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only changes whose interval ends on or after DATE.")
    ] = None,
    direction: DirectionOpt = "follower",
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="At most N of each list (the newest).")
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """New followers and unfollowers between successive snapshots, with who they are and their history."""
    with get_engine().connect() as conn:
        data = follower_changes(
            conn, account=account, since=parse_when(since, "--since"), direction=direction, limit=limit
        )
    if json_:
        print_json(data)
        return
    for key, title in (("gained", "Gained"), ("lost", "Lost")):
        table(
            f"{title} ({len(data[key])})",
            ["between", "account", "who", "person", "interactions", "we replied", "stage"],
            [_change_row(r) for r in data[key]],
        )


def _change_row(r: dict[str, Any]) -> tuple[Any, ...]:
    h = r.get("history") or {}
    person = r.get("person") or {}
    others = ", ".join(
        f"{i['network']}:{i['handle'] or i['platform_id']}" for i in person.get("other_identities", [])
    )
    who = f"{r['network']}:{r['handle'] or r['platform_id']}"
    return (
        f"{(r['between'][0] or '')[:10]} … {(r['between'][1] or '')[:10]}",
        r["account"],
        who,
        f"{person.get('display_name') or ''}{' (' + others + ')' if others else ''}",
        h.get("interactions", 0),
        "yes" if h.get("we_replied") else "no",
        r.get("stage") or "",
    )


@followers_app.command("why")
def why(account: AccountOpt = None, direction: DirectionOpt = "follower", json_: JsonOpt = False) -> None:
    """The posts published in each unfollow interval, and which kinds of post go with more unfollows."""
    with get_engine().connect() as conn:
        data = why_left(conn, account=account, direction=direction)
    if json_:
        print_json(data)
        return
    for iv in data["intervals"]:
        console.print(
            f"[bold]{iv['between'][0][:10]} … {iv['between'][1][:10]}[/bold] {iv['account']}: "
            f"{iv['lost']} left, {iv['posts_published']} posts published"
        )
        for p in iv["posts"][:5]:
            flag = " [promotional]" if p["promotional"] else ""
            console.print(f"  {p['published_at'][:10]} {p['kind']}{flag}: {p['text'][:80]}")
    table(
        f"Unfollows after each kind of post (rate ratio vs intervals without; min {data['min_cases']} cases)",
        ["feature", "intervals", "unfollows", "rate ratio", "95 % CI", "status"],
        [
            (
                f["feature"],
                f["intervals_with"],
                f["cases"],
                "" if f["rate_ratio"] is None else f"{f['rate_ratio']:.2f}",
                "" if f["ci95"] is None else f"{f['ci95'][0]:.2f}–{f['ci95'][1]:.2f}",
                f["status"],
            )
            for f in data["factors"]
        ],
    )


@followers_app.command("retention")
def retention(
    account: AccountOpt = None, direction: DirectionOpt = "follower", json_: JsonOpt = False
) -> None:
    """Churn per week and month, and cohort retention of new followers after 7, 30 and 90 days."""
    with get_engine().connect() as conn:
        data = retention_of(conn, account=account, direction=direction)
    if json_:
        print_json(data)
        return
    for period in ("week", "month"):
        table(
            f"Churn per {period}",
            [period, "snapshots", "base", "lost", "gained", "churn"],
            [
                (
                    b["period"],
                    b["snapshots"],
                    b["base"],
                    b["lost"],
                    b["gained"],
                    "" if b["churn_rate"] is None else f"{100 * b['churn_rate']:.2f} %",
                )
                for b in data["churn"][period]
            ],
        )
    hs = data["cohorts"]["horizons"]
    table(
        "Cohort retention (share still following)",
        ["cohort week", "size", *[f"{h} days" for h in hs]],
        [
            (
                r["cohort_week"],
                r["size"],
                *["" if r[f"d{h}"] is None else f"{100 * r[f'd{h}']['share']:.1f} %" for h in hs],
            )
            for r in data["cohorts"]["table"]
        ],
    )


@followers_app.command("audience")
def audience(
    account: AccountOpt = None,
    direction: DirectionOpt = "follower",
    inactive_days: Annotated[
        int, typer.Option("--inactive-days", min=1, help="Inactive: no interaction from them in N days.")
    ] = 180,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many of each list to show.")] = 50,
    json_: JsonOpt = False,
) -> None:
    """Follow-back ratio, mutuals, non-reciprocal lists, inactive followers and likely bots."""
    with get_engine().connect() as conn:
        data = audience_of(
            conn, account=account, direction=direction, inactive_days=inactive_days, limit=limit
        )
    if json_:
        print_json(data)
        return
    rec = data["reciprocity"]
    ratio = rec["follow_back_ratio"]
    table(
        "Audience",
        ["what", "count"],
        [
            ("followers", rec["followers"]),
            ("following", rec["following"]),
            ("friends", rec["friends"]),
            ("mutuals", rec["mutuals"]),
            ("follow-back ratio", "" if ratio is None else f"{100 * ratio:.1f} %"),
            ("followers we do not follow back", rec["followers_we_do_not_follow"]["count"]),
            ("followed who do not follow us", rec["following_who_do_not_follow_us"]["count"]),
            (f"inactive ({data['inactive']['days']} days)", data["inactive"]["count"]),
            ("likely bots", data["likely_bots"]["count"]),
        ],
    )
    if data["likely_bots"]["sample"]:
        table(
            "Likely bots",
            ["who", "reasons"],
            [
                (f"{b['network']}:{b['handle'] or b['platform_id']}", ", ".join(b["reasons"]))
                for b in data["likely_bots"]["sample"]
            ],
        )
