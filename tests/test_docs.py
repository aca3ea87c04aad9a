"""What users touch is documented: every command, option, setting and connector."""

from __future__ import annotations

from pathlib import Path

import click
import typer

from mutuals.cli.app import app
from mutuals.config import Settings
from mutuals.connectors import registry

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out = []
    for name, cmd in group.commands.items():
        full = f"{prefix}{name}"
        out.append((full, cmd))
        if isinstance(cmd, click.Group):
            out += _commands(cmd, prefix=f"{full} ")
    return out


def test_every_cli_command_and_option_is_in_the_cli_reference() -> None:
    text = "\n".join(p.read_text() for p in [DOCS / "cli.md", *sorted((DOCS / "cli").glob("*.md"))])
    root = typer.main.get_command(app)
    assert isinstance(root, click.Group)
    missing = []
    for name, cmd in _commands(root):
        if f"mutuals {name}" not in text:
            missing.append(f"command: mutuals {name}")
        for param in cmd.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt not in text:
                    missing.append(f"option {opt} of mutuals {name}")
    assert missing == []


def test_every_setting_is_in_the_configuration_table() -> None:
    text = (DOCS / "configuration.md").read_text()
    for name in Settings.model_fields:
        assert f"`MUTUALS_{name.upper()}`" in text, name


def test_every_connector_has_its_docs_page_and_readme() -> None:
    for kind, conn in registry.connectors().items():
        page = DOCS / "connectors" / f"{kind}.md"
        assert page.is_file(), f"docs/connectors/{kind}.md is missing"
        module_dir = Path(__import__(type(conn).__module__, fromlist=["x"]).__file__ or "").parent
        assert (module_dir / "README.md").is_file(), f"{module_dir}/README.md is missing"
