"""The whole loop in a real browser: Debian's Chromium, driven by Playwright, against a real server."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tactful.service import Service
from tactful.service.profile import update_profile
from tactful.store import open_store

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("Chromium is missing: tools/system-deps.sh installs it (make test runs it)")
    pytest.skip("Chromium is not installed here; `make test` installs it", allow_module_level=True)

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    import uvicorn

    from tactful.config import load
    from tactful.web import Settings, create_app

    db = tmp_path / "browser.db"
    service = Service(open_store(db))
    update_profile(service, name="Robin Vale", email="robin@example.net", tz="Europe/London", country="GB",
                           skills=["data pipelines", "Python"])  # fmt: skip
    service.store.close()
    port = free_port()
    config = uvicorn.Config(
        create_app(Settings(load(database=db))), host="127.0.0.1", port=port, log_level="warning"
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page() -> Iterator[Page]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1100, "height": 900})
        yield context.new_page()
        browser.close()


def test_log_compose_with_live_review_send_and_see_the_plan_move_on(server: str, page: Page) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server + "/log")
    page.select_option("#kind-pick", "interview")
    page.fill("#people", "Priya Natarajan")
    page.fill("#org", "Acme")
    page.fill("#email", "priya@acme.example")
    page.fill("#linkedin", "https://www.linkedin.com/in/priya-example")
    page.fill("#title", "Data Engineer")
    page.fill("#topics", "streaming ingestion")
    page.click("text=Log it and plan the follow-ups")
    expect(page.locator("h1")).to_contain_text("Data Engineer")

    page.goto(server + "/")
    thank_you = page.locator("li.item.state-due", has_text="Thank-you")
    expect(thank_you).to_contain_text("Priya Natarajan")
    expect(thank_you).to_contain_text("within 24 hours")
    thank_you.get_by_role("link", name="Draft").click()

    editor = page.locator("#draft-text")
    expect(editor).to_contain_text("Dear Priya")
    expect(page.locator("#verdict")).to_contain_text("Ready to send")
    editor.fill("Subject: hi\n\nhey!!")
    expect(page.locator("#findings")).to_contain_text("casual")  # refreshed as the user types
    expect(page.locator("#findings")).to_contain_text("shouting")
    expect(page.locator("#verdict")).to_contain_text("Needs work")

    editor.fill(
        "Subject: Thank you for the Data Engineer interview\n\nDear Priya,\n\nThank you for your time today and "
        "for the conversation about streaming ingestion at Acme. It made me even more interested in the Data "
        "Engineer role, and my work on data pipelines in Python fits what you described.\n\nI look forward to "
        "hearing about the next steps.\n\nBest regards,\nRobin Vale"
    )
    expect(page.locator("#verdict")).to_contain_text("Ready to send")
    page.get_by_role("button", name="Mark sent").click()

    expect(page.locator("h1")).to_contain_text("Data Engineer")
    expect(page.locator(".history")).to_contain_text("Sent Thank-you to Priya Natarajan")
    expect(page.locator("ul.items")).to_contain_text("Linkedin connect")  # the next step appears
    assert errors == [], errors


def test_it_works_at_phone_width_and_by_keyboard(server: str, page: Page) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(server + "/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip")).to_be_focused()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways at phone width ({width}px)"
    page.click("text=Load the sample history")
    expect(page.locator("h1")).to_contain_text("Who do you owe a message?")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
