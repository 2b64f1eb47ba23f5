"""The Losing touch list on Today, in a real browser: Debian's Chromium, driven by Playwright, against
a real server whose clock is fixed. Three mentors on a two-month cadence (at most four); two are past
it, one had coffee lately; a coffee with one of the two takes them off the list."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tactful.service import Service
from tactful.service.followups import LogRequest, log, skip
from tactful.service.keep_in_touch import keep_in_touch
from tactful.service.people import retag
from tactful.service.profile import update_profile
from tactful.store import open_store

from . import test_browser
from .servers import serving

# The browser tests' own Chromium page (their module skips cleanly where Chromium is missing).
browser_page = test_browser.page

NOW = dt.datetime(2026, 7, 3, 11, 0, tzinfo=dt.UTC)  # noon in London
# Each mentor's meeting; Ada also had coffee a fortnight ago.
MET = {"Priya Natarajan": "2026-02-10 10:00", "Sam Lee": "2026-02-24 10:00", "Ada Okafor": "2026-02-16 10:00"}
COFFEE = "2026-06-19 08:30"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    from tactful.config import load
    from tactful.web import Settings, create_app

    db = tmp_path / "browser.db"
    service = Service(open_store(db), now=NOW)
    update_profile(service, name="Robin Vale", email="robin@example.net", tz="Europe/London", country="GB")
    logged = [
        log(service, LogRequest(kind="meeting", people=[name], org="Guild", at=at, topics=["mentoring"]))
        for name, at in MET.items()
    ]
    logged.append(
        log(
            service,
            LogRequest(kind="meeting", people=["Ada Okafor"], org="Guild", at=COFFEE, topics=["coffee"]),
        )
    )
    for f in (f for each in logged for f in each.change.added):
        skip(service, f.id)  # the reconnects were never sent: a skip is no contact
    for name in MET:
        retag(service, name, add=["mentor"])
    keep_in_touch(service, tag="mentor", every="2m", at_most="4m")
    service.store.close()
    with serving(create_app(Settings(load(database=db), now=NOW))) as url:
        yield url


def fits(page: Page) -> None:
    """The page does not scroll sideways at the viewport's width."""
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"the page scrolls sideways ({width}px in a {inner}px window)"


def test_the_losing_touch_list_reads_on_a_desktop_and_a_phone_and_a_coffee_clears_it(
    server: str, browser_page: Page, tmp_path: Path
) -> None:
    """Screenshots go to TACTFUL_SCREENSHOTS when set (docs/screenshots holds the last ones taken),
    else to the test's own folder."""
    page = browser_page
    shots = Path(os.environ.get("TACTFUL_SCREENSHOTS") or tmp_path)
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(server + "/")
    losing = page.locator("section.group-losing")
    expect(losing).to_be_visible()
    expect(losing.locator("h2")).to_have_text("Losing touch 2")
    expect(losing.locator("li")).to_have_text([
        "Priya Natarajan: last in touch 143 days ago.",  # 10 February: the longest gap first
        "Sam Lee: last in touch 129 days ago.",  # 24 February
    ])  # fmt: skip
    expect(losing).not_to_contain_text("Ada Okafor")  # coffee on 19 June
    fits(page)
    losing.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "losing-touch.png"), full_page=True)

    page.set_viewport_size({"width": 375, "height": 740})
    page.reload()
    expect(losing).to_be_visible()
    expect(losing.locator("li")).to_have_count(2)
    fits(page)
    page.screenshot(path=str(shots / "losing-touch-phone.png"), full_page=True)

    test_browser.log_meeting(page, server, "Sam Lee", org="Guild", topics="coffee")  # coffee with Sam, now
    expect(page.locator(".banner")).to_contain_text("Logged")

    page.goto(server + "/")
    expect(losing.locator("h2")).to_have_text("Losing touch 1")
    expect(losing.locator("li")).to_have_text(["Priya Natarajan: last in touch 143 days ago."])
    expect(losing).not_to_contain_text("Sam Lee")
    fits(page)
    page.set_viewport_size({"width": 1100, "height": 900})
    page.reload()
    expect(losing.locator("li")).to_have_count(1)
    fits(page)
    assert refused == [], refused
