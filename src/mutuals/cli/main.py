"""The ``mutuals`` entry point, and the one place where errors become one-line messages."""

from __future__ import annotations

import sys

import click
import typer

from mutuals.cli.app import app
from mutuals.cli.state import STATE
from mutuals.errors import MutualsError


def main(argv: list[str] | None = None) -> None:
    command = typer.main.get_command(app)
    try:
        command.main(args=argv, prog_name="mutuals", standalone_mode=False)
    except click.exceptions.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except click.UsageError as exc:
        exc.show()
        raise SystemExit(2) from None
    except click.ClickException as exc:
        exc.show()
        raise SystemExit(exc.exit_code) from None
    except click.Abort:
        print("mutuals: aborted", file=sys.stderr)
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        print("mutuals: interrupted", file=sys.stderr)
        raise SystemExit(130) from None
    except MutualsError as exc:
        if STATE.debug:
            raise
        print(f"mutuals: error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    except Exception as exc:
        if STATE.debug:
            raise
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        print(
            f"mutuals: internal error ({type(exc).__name__}: {first}); run with --debug for details",
            file=sys.stderr,
        )
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
