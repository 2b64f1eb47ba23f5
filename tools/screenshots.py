"""Take the screenshots in docs/: Today, a thread, and Compose, from a server over the sample history.

Run from the project's root after `make test` (it needs Chromium and Playwright):
    .venv/bin/python tools/screenshots.py
"""

from __future__ import annotations

import datetime as dt
import socket
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from tactful.config import load
from tactful.service import Service
from tactful.service.demo import load_sample
from tactful.service.profile import update_profile
from tactful.store import open_store
from tactful.web import Settings, create_app

OUT = Path("docs/screenshots")
NOW = dt.datetime(2026, 3, 4, 11, 30, tzinfo=dt.UTC)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def main() -> None:
    db = Path(tempfile.mkdtemp(prefix="tactful-shots-")) / "shots.db"
    service = Service(open_store(db), now=NOW)
    update_profile(service, name="Robin Vale", email="robin.vale@example.net", tz="Europe/London", country="GB",
                           skills=["data pipelines", "Python", "team leadership"])  # fmt: skip
    load_sample(service)
    service.store.close()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(Settings(load(database=db), now=NOW)), port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.goto(base + "/")
        page.screenshot(path=OUT / "today.png", full_page=True)
        page.goto(base + "/threads/1")
        page.screenshot(path=OUT / "thread.png", full_page=True)
        page.goto(base + "/compose/1")
        page.fill("#draft-text", page.input_value("#draft-text").replace("Dear Priya,", "hey Priya!!", 1))
        page.wait_for_selector(".finding.warning")
        page.screenshot(path=OUT / "compose.png", full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(base + "/")
        page.screenshot(path=OUT / "today-phone.png")
        browser.close()
    server.should_exit = True
    print(f"wrote {', '.join(sorted(p.name for p in OUT.glob('*.png')))} in {OUT}")


if __name__ == "__main__":
    main()
