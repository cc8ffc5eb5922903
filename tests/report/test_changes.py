"""Issue 26, item 1: after a change of data and of a setting, ``comparer`` and the page linked
from the index say which figures and statuses moved, the rows and setting responsible, and the
team's findings to reread — on real kernels, by the real commands, on a project copy."""

from __future__ import annotations

import html
import json
import re

import pytest
import yaml
from project_helpers import cli, copy_project

from maroc_eval.base import paths

pytestmark = [pytest.mark.kernel, pytest.mark.browser, pytest.mark.slow]
PAIR = "jette-sidi-bibi"


def _text(page) -> str:
    body = re.sub(r"<style>.*?</style>", "", page.read_text("utf-8"), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).replace("\u202f", " ")
                    .replace("\u00a0", " ").split())


def test_what_changed_since_the_last_report(tmp_path):
    root = copy_project(tmp_path / "projet")
    outputs = root / "outputs"

    def run(*extra):
        cli(root, "run", "--partenariat", PAIR, "--phase", "final", "--sorties", str(outputs),
            "--quiet", *extra)

    def report():
        return cli(root, "report", "--phase", "final", "--sorties", str(outputs),
                   "--formats", "html").stdout

    run()
    first = report()
    assert "Changements depuis le rapport précédent" not in first  # nothing to compare yet
    assert "aucun rapport encore" not in cli(root, "comparer", "--phase", "final").stdout
    sidecar = paths.pair_dir(outputs, "final", PAIR) / "ri3_competences_personnel.json"
    before = {r["code"]: r for r in json.loads(sidecar.read_text("utf-8"))["indicators"]}

    # two 2012 values of RI3.1 (agents trained, by sex) change, and a threshold on the command line
    data = root / "data" / "sample" / "suivi.csv"
    lines = data.read_text("utf-8").splitlines(keepends=True)
    changed = {}
    for number, line in enumerate(lines, start=1):
        if line.startswith(f"{PAIR},RI3.1,2012,"):
            cells = line.split(",")
            changed[number] = (float(cells[3]), 9.0)
            cells[3] = "9"
            lines[number - 1] = ",".join(cells)
    assert len(changed) == 2
    data.write_text("".join(lines), "utf-8")
    run("-p", "threshold_on_track", "0.8")

    said = cli(root, "comparer", "--phase", "final").stdout.replace("\u00a0", " ").replace(
        "\u202f", " ")
    rises = sum(new - old for old, new in changed.values())  # a stock: the flows add up
    expected_stock = before["RI3.1"]["actual"] + rises
    fmt_number = f"{expected_stock:g}".replace(".", ",")
    assert f"RI3.1 — valeur : {before['RI3.1']['actual']:g} → {fmt_number}" in said
    for number, (old, new) in changed.items():
        assert f"data/sample/suivi.csv, ligne {number}" in said
        assert f": {old:g} → {new:g} (" in said
    assert "Seuil « en bonne voie » : 75 % → 80 %" in said
    # every question the team wrote on that rests on RI 3 is to reread; none other
    matrix = yaml.safe_load((root / "params" / "evaluation.yml").read_text("utf-8"))
    team = yaml.safe_load((root / "data" / "sample" / "appreciations" / "final" /
                           f"{PAIR}.yml").read_text("utf-8"))
    written = set(team.get("questions", {}))
    on_ri3 = {q["code"] for q in matrix["questions"]
              if any(code == "RI3" or code.startswith("RI3.") for code in q["indicateurs"])}
    stale = set(re.findall(r"constats à relire — (QE\d+)", said))
    assert stale and stale <= on_ri3 and stale <= written
    assert "QE5" in stale

    report()
    page = paths.changes_page_path(outputs)
    text = _text(page)
    assert "Jette – Sidi Bibi" in text
    assert f"RI3.1 — valeur : {before['RI3.1']['actual']:g} → {fmt_number}" in text
    assert "Constats à relire" in text and "QE5" in text
    assert 'href="changements.html"' in paths.index_path(outputs).read_text("utf-8")
    # nothing moved since: the terminal says so, the page keeps the last two reports' changes
    assert "rien n'a changé depuis le dernier rapport" in cli(root, "comparer", "--phase",
                                                                "final").stdout
    report()
    assert "RI3.1 — valeur" in _text(page)
    _seen_in_chromium(page, f"RI3.1 — valeur : {before['RI3.1']['actual']:g} → {fmt_number}")


def _seen_in_chromium(page, line: str) -> None:
    """The change page as the team opens it from the index: offline, in Chromium at 1280 ×
    800, the changed figure visible and nothing wider than the window."""
    from playwright.sync_api import sync_playwright
    from server_helpers import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            view = browser.new_context(viewport={"width": 1280, "height": 800},
                                       offline=True).new_page()
            view.goto(page.as_uri())
            shown = " ".join(view.inner_text("body").replace("\u202f", " ")
                             .replace("\u00a0", " ").split())
            assert line in shown and "Constats à relire" in shown, shown[:2000]
            width = view.evaluate("document.documentElement.scrollWidth")
            assert width <= 1280, width
        finally:
            browser.close()
