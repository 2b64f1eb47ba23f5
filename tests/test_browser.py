"""The whole loop in a real browser: Debian's Chromium, driven by Playwright, against a real server."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tactful.service import Service
from tactful.service.profile import update_profile
from tactful.store import open_store

from .servers import serving

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("Chromium is missing: tools/system-deps.sh installs it (make test runs it)")
    pytest.skip("Chromium is not installed here; `make test` installs it", allow_module_level=True)

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    from tactful.config import load
    from tactful.web import Settings, create_app

    db = tmp_path / "browser.db"
    service = Service(open_store(db))
    update_profile(service, name="Robin Vale", email="robin@example.net", tz="Europe/London", country="GB",
                           skills=["data pipelines", "Python"])  # fmt: skip
    service.store.close()
    with serving(create_app(Settings(load(database=db)))) as url:
        yield url


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


def test_a_mistake_is_corrected_a_mark_sent_undone_and_a_person_found(server: str, page: Page) -> None:
    """The new user's path: log an interview on the wrong day, correct it and see the plan move,
    mark the thank-you sent and take it back, find the person by first name."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server + "/log")
    expect(page.locator("#people")).to_be_focused()  # "With whom" comes first
    page.fill("#people", "Zoë Ødegaard")
    page.fill("#title", "Platform Engineer")
    page.select_option("#kind-pick", "application")  # the fields change; what was typed stays
    expect(page.locator("#kind-fields legend")).to_have_text("Application")
    expect(page.locator("#title")).to_have_value("Platform Engineer")
    expect(page.locator("#people")).to_have_value("Zoë Ødegaard")
    page.select_option("#kind-pick", "interview")
    expect(page.locator("#kind-fields legend")).to_have_text("Interview")
    page.fill("#org", "Fjord")
    page.fill("#email", "zoe@fjord.example")
    page.fill("#at", "2026-03-02 10:00")  # the wrong day
    page.click("text=Log it and plan the follow-ups")
    expect(page.locator(".banner")).to_contain_text("Logged · 2 follow-ups planned")

    page.get_by_role("link", name="Correct").first.click()
    page.fill("#at", "2026-03-04 15:00")
    page.click("text=Correct it and plan again")
    banner = page.locator(".banner")
    expect(banner).to_contain_text("Corrected interview")
    expect(banner).to_contain_text(
        "Moved: follow-up 1 (thank-you) from Mon 2 Mar 10:00–Tue 3 Mar 10:00 to Wed 4 Mar 15:00–Thu 5 Mar 15:00"
    )

    thanks = page.locator("li.item", has_text="Thank-you")
    thanks.get_by_role("button", name="Mark sent").click()
    expect(page.locator(".banner")).to_contain_text("Marked follow-up 1 (thank-you to Zoë Ødegaard) sent")
    expect(page.locator(".history")).to_contain_text("Sent Thank-you to Zoë Ødegaard")
    page.locator(".banner").get_by_role("button", name="Undo").click()
    expect(page.locator(".banner")).to_contain_text("Undone: marked follow-up 1")
    expect(page.locator("li.item", has_text="Thank-you")).to_be_visible()  # planned again
    expect(page.locator(".history")).not_to_contain_text("Sent Thank-you")

    page.goto(server + "/log")  # the next log can go into this thread by choice
    expect(page.locator("#thread_id")).to_contain_text("Platform Engineer · Fjord (thread 1)")
    page.goto(server + "/")
    expect(page.locator("li.item", has_text="Check-in").locator(".suggested")).to_contain_text(
        "A good moment:"
    )

    page.get_by_role("link", name="Contacts").click()
    page.fill("input[name=q]", "zoe")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("Zoë Ødegaard")
    page.get_by_role("link", name="Zoë Ødegaard").first.click()
    expect(page.locator("h1")).to_contain_text("Zoë Ødegaard")
    assert errors == [], errors


def log_meeting(page: Page, server: str, who: str, **fields: str) -> None:
    """Log a meeting through the form: the kind picked (its fields swapped in), then each field by
    its id, then submitted."""
    page.goto(server + "/log")
    page.fill("#people", who)
    page.select_option("#kind-pick", "meeting")
    expect(page.locator("#kind-fields legend")).to_have_text("Meeting")
    for name, value in fields.items():
        page.fill(f"#{name}", value)
    page.click("text=Log it and plan the follow-ups")


def test_a_linkedin_note_counts_its_characters_as_it_is_typed(server: str, page: Page) -> None:
    log_meeting(
        page, server, "Sam Lee", linkedin="https://www.linkedin.com/in/sam-example", at="2026-03-02 10:00"
    )
    page.goto(server + "/")
    page.locator("li.item", has_text="Reconnect").get_by_role("link", name="Draft").click()
    expect(page.locator("#draft-count")).to_contain_text("/ 300 characters")
    page.fill("#draft-text", "x" * 301)
    expect(page.locator("#draft-count")).to_have_text("301 / 300 characters")
    expect(page.locator("#draft-count")).to_have_class("over")


def test_the_sample_history_is_kept_apart(server: str, page: Page) -> None:
    page.goto(server + "/")
    page.click("text=Load the sample history")
    expect(page.locator(".banner.sample")).to_contain_text("kept apart from your own")
    expect(page.locator("main")).to_contain_text("Priya Natarajan")
    page.click("text=Back to my own")
    expect(page.locator("h1")).to_have_text("Welcome to tactful")
    expect(page.locator(".steps")).to_contain_text("Look at the sample history again")


def test_no_page_trips_the_content_security_policy(server: str, page: Page) -> None:
    """htmx, the timeline and every page keep to `style-src 'self'`: nothing inline is refused."""
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(server + "/log")
    page.fill("#people", "Priya Natarajan")
    page.select_option("#kind-pick", "meeting")  # htmx swaps the fields
    expect(page.locator("#kind-fields legend")).to_have_text("Meeting")
    page.select_option("#kind-pick", "interview")
    expect(page.locator("#kind-fields legend")).to_have_text("Interview")
    page.fill("#org", "Acme")
    page.fill("#at", "2026-03-02 10:00")
    page.click("text=Log it and plan the follow-ups")
    for path in ("/", "/threads", "/threads/1", "/contacts", "/contacts/1", "/compose/1", "/exchange",
                 "/profile", "/interactions/1/edit", "/api/docs", "/nowhere"):  # fmt: skip
        page.goto(server + path)
        expect(page.locator("h1").first).to_be_visible()
    page.goto(server + "/compose/1")
    page.fill("#draft-text", "Subject: hi\n\nhey!!")  # htmx refreshes the review
    expect(page.locator("#verdict")).to_contain_text("Needs work")
    styles = page.evaluate("[...document.querySelectorAll('style, [style]')].length")
    assert styles == 0 and refused == [], refused


def test_contacts_are_imported_and_the_feed_address_copied_from_their_page(
    server: str, page: Page, tmp_path: Path
) -> None:
    csv = tmp_path / "Connections.csv"
    csv.write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                   "Ana,Silva,https://www.linkedin.com/in/ana,ana@x.example,Initech,CTO,05 Mar 2024\n", encoding="utf-8")  # fmt: skip
    page.goto(server + "/")
    page.get_by_role("link", name="Import, export and calendar feed").click()
    expect(page.locator("h1")).to_have_text("Import and export")
    expect(page.locator("#feed")).to_have_value(re.compile(r"/calendar/[\w-]+\.ics$"))
    page.set_input_files("#file", str(csv))
    page.check("input[name=dry_run]")
    page.get_by_role("button", name="Import").click()
    expect(page.locator("[role=status]").first).to_contain_text("1 new")
    expect(page.locator("[role=status]").first).to_contain_text("nothing was saved")
    page.set_input_files("#file", str(csv))
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".banner")).to_contain_text("Imported Connections.csv (1 new people)")
    page.goto(server + "/contacts?q=ana")
    expect(page.locator("main")).to_contain_text("Ana Silva")


def test_the_stats_page_reads_on_a_desktop_and_a_phone(server: str, page: Page, tmp_path: Path) -> None:
    """The sample history's sends and replies as charts, drawn on the server with no script,
    within the width of a phone. Screenshots go to TACTFUL_SCREENSHOTS when set (docs/screenshots
    holds the last ones taken), else to the test's own folder."""
    shots = Path(os.environ.get("TACTFUL_SCREENSHOTS") or tmp_path)
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(server + "/")
    page.click("text=Load the sample history")
    page.goto(server + "/stats")
    expect(page.locator("h1")).to_have_text("What gets answered")
    expect(page.locator("svg.bars").first).to_be_visible()
    page.screenshot(path=str(shots / "stats.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(server + "/stats")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways at phone width ({width}px)"
    page.screenshot(path=str(shots / "stats-phone.png"), full_page=True)
    assert refused == []
