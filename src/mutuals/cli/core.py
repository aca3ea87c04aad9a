"""Core commands: status, demo, import, imports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from mutuals.cli.output import console, err_console, print_json, table
from mutuals.cli.params import parse_when
from mutuals.connectors import registry
from mutuals.ingest import ImportOptions, ImportReport, run_import
from mutuals.ingest.demo import load_demo
from mutuals.storage.db import get_engine
from mutuals.storage.queries import list_imports, workspace_status

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def register(app: typer.Typer) -> None:
    app.command("status")(status)
    app.command("demo")(demo)
    app.command("import")(import_)
    app.command("imports")(imports)


def status(json_: JsonOpt = False) -> None:
    """How much the workspace holds: accounts, people, posts, interactions, follow edges, imports."""
    with get_engine().connect() as conn:
        data = workspace_status(conn)
    if json_:
        print_json(data)
        return
    _print_status(data)


def _print_status(data: dict[str, Any]) -> None:
    fe = data["follow_edges"]
    table(
        "Workspace",
        ["what", "count"],
        [
            ("accounts", data["accounts"]),
            ("people", data["people"]),
            ("identities", data["identities"]),
            ("posts", data["posts"]),
            ("interactions", data["interactions"]["total"]),
            ("current followers", fe["followers"]),
            ("currently following", fe["following"]),
            ("ended follows (history)", fe["ended"]),
            ("imports", data["imports"]),
        ],
    )
    if data["interactions"]["by_kind"]:
        table("Interactions by kind", ["kind", "count"], sorted(data["interactions"]["by_kind"].items()))


def demo(
    reset: Annotated[bool, typer.Option("--reset", help="Wipe the workspace first.")] = False,
    json_: JsonOpt = False,
) -> None:
    """Load the bundled demo workspace (invented people) and print a summary. Safe to run twice."""
    report = load_demo(reset=reset)
    with get_engine().connect() as conn:
        data = workspace_status(conn)
    if json_:
        print_json({"import": report.as_dict(), "status": data})
        return
    console.print(
        f"[bold]Demo workspace loaded[/bold] ({report.added.get('interactions', 0)} new interactions)."
    )
    _print_status(data)
    console.print(
        "Next: [bold]mutuals status --json[/bold], or import your own export with "
        "[bold]mutuals import PATH[/bold]."
    )


def import_(
    path: Annotated[Path, typer.Argument(help="The export: a .zip, a folder, or a single file.")],
    source: Annotated[
        str | None, typer.Option("--source", help="The kind of export (detected when omitted).")
    ] = None,
    account: Annotated[
        str | None, typer.Option("--account", help="Our account's handle, if the export does not say.")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date of a snapshot that carries none (YYYY-MM-DD).")
    ] = None,
    allow_empty_snapshot: Annotated[
        bool, typer.Option("--allow-empty-snapshot", help="Accept an empty follower list as real.")
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Import an export (X, Mastodon, Bluesky, LinkedIn, Instagram, Facebook, CSV). Safe to run twice."""
    if source is not None:
        registry.get(source)
    options = ImportOptions(
        source=source,
        account=account,
        as_of=parse_when(as_of, "--as-of"),
        allow_empty_snapshot=allow_empty_snapshot,
    )
    engine = get_engine()
    if json_ or not err_console.is_terminal:
        report = run_import(path, options, engine=engine)
    else:
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
        ) as bar:
            task = bar.add_task(f"importing {path.name}", total=None)
            report = run_import(
                path,
                options,
                engine=engine,
                progress=lambda n: bar.update(task, description=f"importing {path.name}: {n:,} records"),
            )
    if json_:
        print_json(report.as_dict())
        return
    _print_report(report)


def _print_report(report: ImportReport) -> None:
    console.print(f"[bold]{report.source}[/bold] import of {report.path}: [bold]{report.status}[/bold]")
    table(
        None,
        ["", "in the export", "new"],
        [
            ("posts", report.counts["posts"], report.added.get("posts")),
            ("interactions", report.counts["interactions"], report.added.get("interactions")),
            ("identities", report.counts["identities"], report.added.get("identities")),
            ("follow entries", report.counts["follow_edges"], report.added.get("follow_edges")),
            ("skipped", report.counts["skipped"], ""),
        ],
    )
    for snap in report.snapshots:
        console.print(
            f"{snap['direction']} of {snap['account']} as of {snap['taken_at']}: {snap['members']} "
            f"(+{snap['gained']} / -{snap['lost']})"
            + (" — already imported" if snap["already_known"] else "")
        )
    for note in report.notes:
        console.print(f"note: {note}")
    for p in report.problems[:20]:
        console.print(f"skipped {p['file']} {p['record']}: {p['message']}")
    if len(report.problems) > 20:
        console.print(f"... and {len(report.problems) - 20} more problems (see --json)")


def imports(
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many runs to show.")] = 50,
    json_: JsonOpt = False,
) -> None:
    """The imports run so far, newest first, with their status and counts."""
    with get_engine().connect() as conn:
        runs = list_imports(conn, limit)
    if json_:
        print_json(runs)
        return
    table(
        "Imports",
        ["id", "when", "source", "status", "posts", "interactions", "follows", "problems", "path"],
        [
            (
                r["id"],
                r["started_at"][:19],
                r["source"],
                r["status"],
                r["counts"].get("posts"),
                r["counts"].get("interactions"),
                r["counts"].get("follow_edges"),
                r["problems"],
                r["path"],
            )
            for r in runs
        ],
    )
