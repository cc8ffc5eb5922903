"""``make lab`` for real (as root too): the project root is reachable, the panel works in Lab.

JupyterLab is started through the Makefile target on a project copy, with ``PORT=`` and
``TOKEN=``; headless Chromium opens ``exploration.ipynb``, runs every cell and changes the pair
in the live panel. Every process is stopped at the end.
"""

from __future__ import annotations

import json
import os
import secrets
import urllib.error
import urllib.request

import pytest
from project_helpers import copy_project
from server_helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    OUTPUT,
    changes_pair,
    family,
    free_port,
    running,
    start,
    stop,
    wait_until_served,
)

pytestmark = [pytest.mark.slow]


@pytest.fixture
def lab(tmp_path):
    """``make lab PORT=… TOKEN=…`` on a project copy: (base URL, token, process)."""
    root = copy_project(tmp_path / "projet")
    port, token = free_port(), secrets.token_hex(16)
    log = tmp_path / "lab.log"
    proc = start("lab", root, log, f"PORT={port}", f"TOKEN={token}")
    base = f"http://127.0.0.1:{port}"
    seen = []
    try:
        wait_until_served(proc, f"{base}/api/status?token={token}", log)
        seen = family(proc)
        yield base, token, proc, seen
    finally:
        stop(proc, [*seen, *family(proc)])
    assert not running(seen), "processus restés après le test"


def test_make_lab_serves_the_project_root_on_its_port_with_its_token(lab):
    base, token, _proc, seen = lab
    with urllib.request.urlopen(f"{base}/api/contents?token={token}", timeout=5) as resp:
        names = {item["name"] for item in json.load(resp)["content"]}
    assert {"params", "data", "notebooks", "templates"} <= names
    with urllib.request.urlopen(f"{base}/api/contents/params/programme.yml?token={token}",
                                timeout=5) as resp:
        assert json.load(resp)["type"] == "file"
    with urllib.request.urlopen(f"{base}/?token={token}", timeout=5) as resp:
        assert resp.url.startswith(f"{base}/lab/tree/notebooks")  # opens on notebooks/
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{base}/api/contents", timeout=5)
    assert refused.value.code == 403
    server = next(p.cmdline() for p in seen if "--notebook-dir=." in p.cmdline())
    assert server[-1].startswith("--")  # no positional path overriding --notebook-dir
    assert ("--allow-root" in server) == (os.geteuid() == 0)


@pytest.mark.browser
@pytest.mark.kernel
def test_panel_redraws_in_jupyterlab(lab):
    base, token, _proc, _seen = lab
    assert CHROMIUM.exists(), ("Chromium absent (/usr/bin/chromium) : installez le paquet Debian "
                               "« chromium » (make browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1400})
            page.goto(f"{base}/lab/tree/notebooks/exploration.ipynb?token={token}")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
            page.get_by_text("| Idle").first.wait_for(timeout=120_000)  # kernel ready
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
            page.wait_for_selector(f"{OUTPUT} img", timeout=120_000)
            changes_pair(page)
        finally:
            browser.close()
