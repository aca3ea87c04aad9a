"""Web app commands: serve, users (add, list, role, password), tokens (create)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from mutuals.cli.output import console, print_json, table
from mutuals.errors import InvalidInputError
from mutuals.storage.db import get_engine, transaction
from mutuals.web import auth

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from the first line of stdin (scripts).")
]

users_app = typer.Typer(help="Team members of the web app and their roles.", no_args_is_help=True)
tokens_app = typer.Typer(help="Personal API tokens for scripts.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Worker processes.")] = 1,
) -> None:
    """Run the web app (dashboard, imports, settings, JSON API under /api)."""
    import uvicorn

    get_engine()  # create or upgrade the schema once, before the workers start
    auth.secret_key()  # and the secret, so every worker reads the same one
    with get_engine().connect() as conn:
        if not auth.list_users(conn):
            console.print("No users yet: create one with [bold]mutuals users add NAME --role admin[/bold].")
    console.print(f"Mutuals on http://{host}:{port}/ (Ctrl-C stops it)")
    uvicorn.run(
        "mutuals.web.app:create_app", factory=True, host=host, port=port, workers=workers, log_level="warning"
    )


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise InvalidInputError("--password-stdin read an empty line: pipe the password in")
        return password
    password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return str(password)


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="Sign-in name.")],
    role: Annotated[str, typer.Option("--role", help="admin, manager, agent or viewer.")] = "agent",
    password_stdin: PasswordStdin = False,
    json_: JsonOpt = False,
) -> None:
    """Add a team member (asks for the password, or reads it with --password-stdin)."""
    auth.check_role(role)
    password = _read_password(password_stdin)
    with transaction(get_engine()) as conn:
        user = auth.create_user(conn, name, role, password)
    if json_:
        print_json(user.as_dict())
        return
    console.print(f"Added {user.name} ({user.role}).")


@users_app.command("list")
def users_list(json_: JsonOpt = False) -> None:
    """The team members, their roles and whether they may sign in."""
    with get_engine().connect() as conn:
        rows = auth.list_users(conn)
    if json_:
        print_json(rows)
        return
    table(
        "Users",
        ["name", "role", "active", "since"],
        [(u["name"], u["role"], u["active"], u["created_at"][:10]) for u in rows],
    )


@users_app.command("role")
def users_role(
    name: Annotated[str, typer.Argument(help="Sign-in name.")],
    role: Annotated[str, typer.Argument(help="admin, manager, agent or viewer.")],
) -> None:
    """Change a team member's role."""
    with transaction(get_engine()) as conn:
        user = auth.set_role(conn, name, role)
    console.print(f"{user.name} is now {user.role}.")


@users_app.command("password")
def users_password(
    name: Annotated[str, typer.Argument(help="Sign-in name.")], password_stdin: PasswordStdin = False
) -> None:
    """Set a new password (signs the user out everywhere and clears their failed sign-ins)."""
    password = _read_password(password_stdin)
    with transaction(get_engine()) as conn:
        auth.reset_password(conn, name, password)
    console.print(f"New password set for {name}.")


@tokens_app.command("create")
def tokens_create(
    user: Annotated[str, typer.Argument(help="Whose token (it has their role).")],
    label: Annotated[str, typer.Option("--label", help="What the token is for.")] = "script",
    json_: JsonOpt = False,
) -> None:
    """Create a personal API token (printed once: only its hash is kept)."""
    with transaction(get_engine()) as conn:
        token = auth.create_token(conn, user, label)
    if json_:
        print_json({"user": user, "label": label, "token": token})
        return
    print(token)
