"""Browser tests: real headless Chromium (Debian's package) driven by Playwright's Python API against
the app served by uvicorn on a free loopback port. Screenshots of each page go to screenshots/web/
(git-ignored): look at them."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from mutuals.ingest.demo import load_demo
from tests.web.conftest import PASSWORD, webtest_csv

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "screenshots" / "web"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium is absent (apt-get install chromium)"
)


@pytest.fixture
def server(app: FastAPI) -> Iterator[str]:
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def _page(browser: Any, base: str, role: str, size: str = "desktop") -> Any:
    width, height = WIDTHS[size]
    page = browser.new_context(viewport={"width": width, "height": height}, base_url=base).new_page()
    page.goto("/login")
    page.fill("input[name=name]", role)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")
    return page


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    # Whole pages, except very long lists (the first screenful shows their layout).
    full = page.evaluate("document.documentElement.scrollHeight") <= 3000
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full)


def test_a_manager_signs_in_uploads_an_export_and_sees_its_report(
    server: str, browser: Any, tmp_path: Path
) -> None:
    page = _page(browser, server, "manager")
    assert page.locator("h1").inner_text() == "Dashboard"
    page.click("nav >> text=Imports")
    export = tmp_path / "mentions.csv"
    rows = [("ana_inv", "Ana", "2026-03-01T10:00:00", "hi"), ("bo_inv", "Bo", "2026-03-02T10:00:00", "yo")]
    export.write_bytes(webtest_csv(rows))
    page.set_input_files("input[type=file]", str(export))
    page.click("form[action='/imports'] button[type=submit]")
    report = page.locator("#report")
    report.wait_for()
    assert "ok" in report.locator("h2").inner_text()
    assert report.locator("tr:has-text('interactions') td").nth(1).inner_text() == str(len(rows))
    assert page.locator("table >> text=webtest").count() == 1
    _shot(page, "imports-report-desktop")
    bad = tmp_path / "notes.txt"
    bad.write_text("not an export\n")
    page.set_input_files("input[type=file]", str(bad))
    page.fill("input[name=account]", "kept_typed")
    page.click("form[action='/imports'] button[type=submit]")
    assert "cannot tell what kind of export" in page.locator("p.error").inner_text()
    assert page.input_value("input[name=account]") == "kept_typed"
    _shot(page, "imports-error-desktop")


@pytest.mark.parametrize("size", list(WIDTHS))
def test_each_main_page_renders_at_desktop_and_phone_width(server: str, browser: Any, size: str) -> None:
    load_demo()
    page = _page(browser, server, "admin", size)
    page.wait_for_function("document.querySelector('#trend') && Chart.getChart('trend') !== undefined")
    _shot(page, f"dashboard-{size}")
    pages = [("/imports", "imports"), ("/settings", "settings")]
    if "/people" in page.locator("nav a").evaluate_all("els => els.map(e => e.getAttribute('href'))"):
        pages += [("/people", "people"), ("/people/suggestions", "suggestions"), ("/people/1", "person")]
    if page.locator("nav a[href='/followers']").count():
        pages += [("/followers", "followers")]
    if page.locator("nav a[href='/listening']").count():
        page.goto("/listening")
        page.click("form[action='/listening/refresh'] button[type=submit]")  # cluster the demo's complaints
        page.wait_for_url("**/listening?refreshed=1", timeout=120_000)
        first = page.locator("table.themes a").first.get_attribute("href")
        pages += [("/listening", "listening"), (first, "theme")]
    for path, name in pages:
        page.goto(path)
        assert page.locator("h1").is_visible()
        _shot(page, f"{name}-{size}")
    # Nothing is wider than the viewport (no sideways scrolling of the page itself).
    width = WIDTHS[size][0]
    for path, _ in [("/", ""), *pages]:
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_each_role_sees_only_what_it_may(server: str, browser: Any, app: FastAPI) -> None:
    seen = {}
    for role in ("admin", "manager", "agent", "viewer"):
        page = _page(browser, server, role)
        page.goto("/imports")
        upload = page.locator("form[action='/imports']").count()
        page.goto("/settings")
        seen[role] = {
            "nav": page.locator("nav a").all_inner_texts(),
            "upload": upload,
            "goals form": page.locator("form[action='/settings/goals']").count(),
            "team": page.locator("#team").count(),
        }
        if role == "viewer":
            _shot(page, "settings-viewer-desktop")
        page.context.close()
    # Every page today needs only "view": each role sees all of them (and only installed ones).
    expected = [n.label for n in app.state.nav]
    assert {"Dashboard", "Imports", "Settings"} <= set(expected)
    assert all(s["nav"] == expected for s in seen.values())
    assert {r: s["upload"] for r, s in seen.items()} == {"admin": 1, "manager": 1, "agent": 0, "viewer": 0}
    assert {r: s["goals form"] for r, s in seen.items()} == {
        "admin": 1,
        "manager": 1,
        "agent": 0,
        "viewer": 0,
    }
    assert {r: s["team"] for r, s in seen.items()} == {"admin": 1, "manager": 0, "agent": 0, "viewer": 0}


def test_two_identities_are_merged_from_a_suggestion(server: str, browser: Any, app: FastAPI) -> None:
    if not any(n.path == "/people" for n in app.state.nav):
        pytest.skip("the People capability (mutuals.analytics.people) is not installed")
    load_demo()
    viewer = _page(browser, server, "viewer")
    viewer.goto("/people/suggestions")
    assert viewer.locator("form[action='/people/merge']").count() == 0, "a viewer cannot merge"
    viewer.context.close()
    page = _page(browser, server, "agent")
    page.goto("/people/suggestions")
    first = page.locator(".suggestion").first
    keep = first.locator("input[name=keep]").input_value()
    other = first.locator("input[name=other]").input_value()
    handles = first.locator(".pair .hint").all_inner_texts()
    first.locator("button").click()
    page.wait_for_url(f"{server}/people/{keep}?merged={other}")
    assert f"Person {other} was merged" in page.locator(".ok-box").inner_text()
    shown = {
        f"{r[0]}:{r[1]}"
        for r in (row.split("\t") for row in page.locator("table tbody tr").all_inner_texts())
    }
    assert set(handles) <= shown
    _shot(page, "person-after-merge-desktop")


def test_an_agent_triages_and_answers_with_the_coach_warning_on_a_stock_reply(
    server: str, browser: Any, app: FastAPI
) -> None:
    if not any(n.path == "/inbox" for n in app.state.nav):
        pytest.skip("the Inbox capability (mutuals.analytics.inbox) is not installed")
    load_demo()
    page = _page(browser, server, "agent")
    page.goto("/inbox")
    assert page.locator(".triage-item .reason").count() > 0, "priorities come with their reasons"
    _shot(page, "inbox-desktop")
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server}/inbox/*")
    _shot(page, "conversation-desktop")
    page.keyboard.press("r")
    page.keyboard.type("Thanks for reaching out! Please DM us your order number and we will look into it!")
    warning = page.locator(".coach-warning", has_text="stock response")
    warning.wait_for()
    _shot(page, "conversation-coach-desktop")
    page.fill("#reply-text", "Hi! So sorry about that, I'm checking with the roasters now. -Agent")
    page.locator("#coach").filter(has_not_text="stock response").wait_for()
    page.click("form.reply button[type=submit]")
    assert "Reply recorded" in page.locator(".ok-box").inner_text()
    page.click("form[data-key='e'] button")
    page.wait_for_url(f"{server}/inbox")
    phone = _page(browser, server, "agent", "phone")
    phone.goto("/inbox")
    _shot(phone, "inbox-phone")
    phone.locator(".triage-link").first.click()
    _shot(phone, "conversation-phone")
