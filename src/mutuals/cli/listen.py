"""``mutuals analyze ...`` (text files, no database) and ``mutuals listen ...`` (over the database).

Thin wrappers over mutuals.enrich and mutuals.analytics.listening; every read command has --json."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO, Annotated

import typer

from mutuals.analytics.listening import alerts, sentiment, themes
from mutuals.cli.output import console, print_json, table
from mutuals.cli.params import parse_when
from mutuals.enrich.batch import dumps, read_lines, sentiment_lines
from mutuals.enrich.text import decode_line
from mutuals.enrich.themes import find_themes
from mutuals.errors import InvalidInputError
from mutuals.storage.db import get_engine, transaction

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
InputOpt = Annotated[
    Path | None, typer.Option("--input", help="Text file, one text per line (default: standard input).")
]
SinceOpt = Annotated[str | None, typer.Option("--since", help="Only messages from this date (YYYY-MM-DD).")]

analyze_app = typer.Typer(help="Analyse texts from a file: sentiment, themes.", no_args_is_help=True)
listen_app = typer.Typer(
    help="Listening: recurring concerns, sentiment over time, spike alerts.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(analyze_app, name="analyze")
    app.add_typer(listen_app, name="listen")


def _open(path: Path | None) -> IO[bytes]:
    if path is None:
        return sys.stdin.buffer
    try:
        return path.open("rb")
    except OSError as exc:
        raise InvalidInputError(f"{path}: cannot be read ({exc.strerror})") from None


@analyze_app.command("sentiment")
def analyze_sentiment_cmd(input_: InputOpt = None) -> None:
    """One JSON object per input line, in order: {"label", "score", "language"}."""
    stream = _open(input_)
    try:
        for obj in sentiment_lines(read_lines(stream)):
            sys.stdout.write(dumps(obj) + "\n")
    finally:
        if input_ is not None:
            stream.close()
    sys.stdout.flush()


@analyze_app.command("themes")
def analyze_themes_cmd(input_: InputOpt = None, json_: JsonOpt = False) -> None:
    """Group the lines into themes by meaning; members are 0-based line numbers."""
    stream = _open(input_)
    try:
        texts = [decode_line(raw)[0] for raw in read_lines(stream)]
    finally:
        if input_ is not None:
            stream.close()
    result = find_themes(texts)
    if json_:
        print_json(result.as_dict())
        return
    table(
        f"{len(result.themes)} themes, {len(result.unassigned)} lines unassigned",
        ["theme", "size", "example"],
        [(th.label, th.size, texts[th.representative][:80]) for th in result.themes],
    )


@listen_app.command("themes")
def listen_themes(
    since: SinceOpt = None,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Re-cluster everything (keeps your edits).")
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Recurring concerns in negative and complaint messages, with distinct people, largest first."""
    with transaction(get_engine()) as conn:
        themes.update_themes(conn, rebuild=rebuild)
        rows = themes.list_themes(conn, since=parse_when(since, "--since"))
    if json_:
        print_json(rows)
        return
    table(
        "Themes",
        ["id", "theme", "people", "messages", "networks", "example"],
        [
            (
                r["id"],
                r["label"],
                r["people"],
                r["messages"],
                ",".join(r["networks"]),
                (r["representative"] or "")[:60],
            )
            for r in rows
        ],
    )


@listen_app.command("rename")
def listen_rename(
    theme_id: Annotated[int, typer.Argument(help="Theme id.")],
    label: Annotated[str, typer.Argument(help="The new name.")],
) -> None:
    """Give a theme your own name; it survives re-clustering."""
    with transaction(get_engine()) as conn:
        themes.rename_theme(conn, theme_id, label)
    console.print(f"Theme {theme_id} is now called {label!r}.")


@listen_app.command("merge")
def listen_merge(
    keep: Annotated[int, typer.Argument(help="The theme that stays.")],
    absorb: Annotated[int, typer.Argument(help="The theme merged into it.")],
) -> None:
    """Merge one theme into another; later re-clustering keeps them together."""
    with transaction(get_engine()) as conn:
        themes.merge_themes(conn, keep, absorb)
    console.print(f"Theme {absorb} was merged into theme {keep}.")


@listen_app.command("split")
def listen_split(
    theme_id: Annotated[int, typer.Argument(help="The theme to split.")],
    messages: Annotated[str, typer.Option("--messages", help="Comma-separated message (interaction) ids.")],
    label: Annotated[str | None, typer.Option("--label", help="Name of the new theme.")] = None,
) -> None:
    """Move some messages of a theme into a new theme of their own."""
    try:
        ids = [int(x) for x in messages.split(",") if x.strip()]
    except ValueError:
        raise InvalidInputError(f"--messages {messages!r} must be comma-separated ids") from None
    with transaction(get_engine()) as conn:
        new_id = themes.split_theme(conn, theme_id, ids, label)
    console.print(f"{len(ids)} messages moved to the new theme {new_id}.")


@listen_app.command("sentiment")
def listen_sentiment(
    since: SinceOpt = None,
    period: Annotated[str, typer.Option("--period", help="day or week.")] = "week",
    json_: JsonOpt = False,
) -> None:
    """Inbound sentiment per day or week: counts per label and the negative share."""
    with get_engine().connect() as conn:
        rows = sentiment.sentiment_over_time(conn, since=parse_when(since, "--since"), period=period)
    if json_:
        print_json(rows)
        return
    table(
        "Sentiment of inbound messages",
        ["period", "negative", "neutral", "positive", "unsupported", "negative share"],
        [
            (
                r["period"],
                r["negative"],
                r["neutral"],
                r["positive"],
                r["unsupported"],
                "" if r["negative_share"] is None else f"{r['negative_share']:.0%}",
            )
            for r in rows
        ],
    )


@listen_app.command("alerts")
def listen_alerts(since: SinceOpt = None, json_: JsonOpt = False) -> None:
    """Check for spikes now (volume, negative share, theme people), store new alerts, list stored ones."""
    with transaction(get_engine()) as conn:
        alerts.detect_alerts(conn)
        rows = alerts.list_alerts(conn, since=parse_when(since, "--since"))
    if json_:
        print_json(rows)
        return
    table("Alerts", ["when", "kind", "what"], [(r["window_end"], r["kind"], r["message"]) for r in rows])
