from __future__ import annotations

import json
from typing import Any

from mutuals import __version__


def _status(cli: Any) -> dict[str, Any]:
    res = cli("status", "--json")
    assert res.code == 0, res.err
    return json.loads(res.out)  # type: ignore[no-any-return]


def test_version_prints_the_package_version(cli: Any) -> None:
    res = cli("--version")
    assert res.code == 0
    assert res.out.strip() == f"mutuals {__version__}"


def test_an_empty_workspace_has_zero_of_everything(cli: Any) -> None:
    data = _status(cli)
    assert data == {
        "accounts": 0,
        "people": 0,
        "identities": 0,
        "posts": 0,
        "interactions": {"total": 0, "by_kind": {}},
        "follow_edges": {"followers": 0, "following": 0, "friends": 0, "ended": 0},
        "imports": 0,
    }


def test_demo_loads_people_interactions_and_follow_history(cli: Any) -> None:
    res = cli("demo")
    assert res.code == 0, res.err
    data = _status(cli)
    assert data["accounts"] >= 3
    assert data["people"] >= 200
    assert data["interactions"]["total"] >= 2000
    kinds = data["interactions"]["by_kind"]
    for kind in ("reply", "mention", "dm", "like", "comment"):
        assert kinds.get(kind, 0) > 0, kind
    assert sum(kinds.values()) == data["interactions"]["total"]
    assert data["follow_edges"]["followers"] > 0
    assert data["follow_edges"]["ended"] > 0, "the demo has unfollows"
    assert data["imports"] == 1


def test_running_the_demo_twice_leaves_every_count_unchanged(cli: Any) -> None:
    assert cli("demo").code == 0
    first = _status(cli)
    assert cli("demo").code == 0
    assert _status(cli) == first


def test_demo_reset_reloads_the_same_workspace(cli: Any) -> None:
    assert cli("demo").code == 0
    first = _status(cli)
    assert cli("demo", "--reset").code == 0
    assert _status(cli) == first


def test_a_bad_database_url_is_a_one_line_error_naming_the_setting(cli: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("MUTUALS_DATABASE_URL", "nosuchdb://x")
    res = cli("status")
    assert res.code == 1
    assert "MUTUALS_DATABASE_URL" in res.err
    assert len(res.err.strip().splitlines()) == 1
    assert "Traceback" not in res.err


def test_an_unwritable_database_path_is_a_one_line_error(cli: Any, tmp_path: Any) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    res = cli("--db", f"sqlite:///{blocker}/sub/db.sqlite3", "status")
    assert res.code == 1
    assert "MUTUALS_HOME or MUTUALS_DATABASE_URL" in res.err
    assert len(res.err.strip().splitlines()) == 1


def test_an_unreachable_postgres_server_is_a_one_line_error(cli: Any) -> None:
    res = cli("--db", "postgresql+psycopg://nobody@127.0.0.1:9/none", "status")
    assert res.code == 1
    assert "MUTUALS_DATABASE_URL" in res.err
    assert len(res.err.strip().splitlines()) == 1


def test_an_unknown_command_is_a_usage_error_with_exit_code_2(cli: Any) -> None:
    assert cli("no-such-command").code == 2


def test_home_option_puts_the_sqlite_file_in_that_folder(cli: Any, tmp_path: Any, monkeypatch: Any) -> None:
    monkeypatch.delenv("MUTUALS_DATABASE_URL")
    home = tmp_path / "elsewhere"
    assert cli("--home", str(home), "status", "--json").code == 0
    assert (home / "mutuals.sqlite3").is_file()


def test_importing_a_missing_path_names_it(cli: Any, tmp_path: Any) -> None:
    res = cli("import", str(tmp_path / "nope.zip"))
    assert res.code == 1
    assert "nope.zip" in res.err and "no such file" in res.err
