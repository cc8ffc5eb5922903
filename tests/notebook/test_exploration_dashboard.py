"""The Voilà dashboard (``make tableau``) in headless Chromium: a meeting tool on a 1024 × 768
projector — titled in words, no developer text, whole labels, the chart within the screen, each
view saved as an image — and the panel redraws on a change.

Voilà is started for real through the Makefile target on a free loopback port, with a token, on
a copy of the project (nothing is written into the repository). Every process it starts (Voilà,
its kernel) is stopped at the end, and the test checks that none is left.
"""

from __future__ import annotations

import secrets
import urllib.request
from pathlib import Path

import pytest
from project_helpers import copy_project
from server_helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    OUTPUT,
    PANEL,
    changes_pair,
    family,
    free_port,
    running,
    start,
    stop,
    wait_until_served,
)

pytestmark = [pytest.mark.browser, pytest.mark.kernel, pytest.mark.slow]

def test_dashboard_redraws_when_the_pair_changes(tmp_path):
    assert CHROMIUM.exists(), ("Chromium absent (/usr/bin/chromium) : installez le paquet Debian "
                               "« chromium » (make browser)")
    from playwright.sync_api import sync_playwright

    root = copy_project(tmp_path / "projet")
    port, token = free_port(), secrets.token_hex(16)
    log = tmp_path / "voila.log"
    proc = start("tableau", root, log, f"PORT={port}", f"TOKEN={token}")
    seen = []
    try:
        url = f"http://127.0.0.1:{port}/?token={token}"
        # Probed without the token: the refusal page answers at once, whereas each request
        # with the token runs the whole notebook in a new kernel (a probe that gives up after
        # two seconds would leave Voilà executing for nothing, on a loaded machine for long).
        wait_until_served(proc, f"http://127.0.0.1:{port}/", log)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as resp:
            assert "exploration" not in resp.read().decode()  # without the token: refused
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1024, "height": 768},
                                        accept_downloads=True)
                errors: list[str] = []
                page.on("pageerror", lambda e: errors.append(str(e)))
                # Voilà sends the page once the notebook has run: minutes on a loaded machine
                page.goto(url, wait_until="domcontentloaded", timeout=240_000)
                page.wait_for_selector(f"{OUTPUT} img", timeout=120_000)
                seen = family(proc)
                assert len(seen) >= 3  # make, voilà, the kernel
                body = page.inner_text("body")
                assert "open_exploration" not in body  # served without code
                assert "Tableau à reprendre" not in body  # the dashboard shows the panel only
                for developer in ("Run All", "papermill", "cellule de paramètres"):
                    assert developer not in body, developer
                # titled in words: the pair, what is shown, the phase and its year
                heading = page.locator(".me-panneau-titre").inner_text()
                assert heading.startswith("Forest – Jérada — RI3")
                assert "Évaluation finale (2012)" in page.locator(
                    ".me-panneau-detail").inner_text()
                # readable on a 1024 × 768 projector: whole labels, nothing wider than the
                # screen, the chart entirely visible under the controls
                for label in page.locator(f"{PANEL} .widget-label").all():
                    assert label.evaluate("e => e.scrollWidth <= e.clientWidth"), \
                        label.inner_text()
                assert page.evaluate("document.scrollingElement.scrollWidth") <= 1024
                page.evaluate("document.querySelector('.me-panneau-titre')"
                              ".scrollIntoView({block: 'start'})")
                box = page.locator(f"{OUTPUT} img").first.bounding_box()  # in the viewport
                assert box["x"] >= 0 and box["x"] + box["width"] <= 1024
                assert box["y"] >= 0 and box["y"] + box["height"] <= 768, box
                # each view saved as an image for the minutes
                with page.expect_download() as saved:
                    page.get_by_text("Enregistrer l’image (PNG)").click()
                download = saved.value
                assert download.suggested_filename == \
                    "exploration-forest-jerada-RI3-final-2007-2012.png"
                assert Path(download.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
                changes_pair(page)
                cells = page.locator(f"{OUTPUT} tbody tr").first.locator("td").all_inner_texts()
                assert cells[0].startswith("RI3.1") and cells[1] == "2007"
                assert not errors, errors
            finally:
                browser.close()
    finally:
        stop(proc, seen)
    assert not running(seen), "processus restés après le test"
