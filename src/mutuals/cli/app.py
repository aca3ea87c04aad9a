"""The Typer application: global options, and the command groups of each capability."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mutuals import __version__
from mutuals.cli import core
from mutuals.cli.state import STATE
from mutuals.config import configure, get_settings
from mutuals.storage.db import reset_engines

app = typer.Typer(
    name="mutuals",
    help="Relationship analytics for social media, on data you own.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        print(f"mutuals {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    home: Annotated[Path | None, typer.Option("--home", help="Data folder; overrides MUTUALS_HOME.")] = None,
    db: Annotated[
        str | None, typer.Option("--db", help="Database URL; overrides MUTUALS_DATABASE_URL.")
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    STATE.debug = debug
    configure(home=home, database_url=db)
    reset_engines()
    get_settings()  # fail early, naming the setting, on a bad value


core.register(app)

from mutuals.cli import web  # noqa: E402

web.register(app)

from mutuals.cli import people  # noqa: E402

people.register(app)

from mutuals.cli import inbox  # noqa: E402

inbox.register(app)

from mutuals.cli import listen  # noqa: E402

listen.register(app)

from mutuals.cli import followers  # noqa: E402

followers.register(app)
