"""The reports in headless Chromium (Debian's), offline: they render, link and run nothing."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from maroc_eval.base import paths
from maroc_eval.report.build import build_reports

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=2">'
PHASE_LABELS = {"midterm": "mi-parcours", "final": "finale"}

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright: both are test requirements (``make test``)."""
    assert CHROMIUM.exists(), ("Chromium absent (/usr/bin/chromium) : installez le paquet Debian "
                               "« chromium » (make browser)")
    from playwright.sync_api import sync_playwright  # pip install -e '.[test]'

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


class Visit:
    """A page opened from file:// with every other request aborted and recorded."""

    def __init__(self, browser, path: Path):
        self.url = path.resolve().as_uri()
        self.context = browser.new_context(viewport={"width": 1200, "height": 1600})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(self.url, wait_until="load")

    def _route(self, route):
        url = route.request.url
        if url.split("#")[0] == self.url:
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def close(self):
        self.context.close()


@pytest.fixture(scope="module")
def reports(battery_outputs, tmp_path_factory) -> list[Path]:
    outputs = tmp_path_factory.mktemp("browser") / "outputs"
    shutil.copytree(battery_outputs, outputs)
    build_reports(phase="all", outputs=outputs, echo=lambda *_: None)
    found = sorted(outputs.glob("*/*/rapport-*.html"))
    assert len(found) >= 6
    return [*found, outputs / "index.html"]


def check_toc(page) -> int:
    """Every table-of-contents link reaches a heading; returns the number of links."""
    targets = page.eval_on_selector_all(
        "nav.rapport-sommaire a", "links => links.map(a => a.getAttribute('href'))")
    for href in targets:
        assert href.startswith("#"), href
        tag = page.evaluate("id => { const e = document.getElementById(id); "
                            "return e ? e.tagName : null; }", href[1:])
        assert tag in ("H1", "H2", "H3", "H4", "SECTION"), (href, tag)
    return len(targets)


def test_reports_render_offline(browser, reports):
    shots = paths.OUTPUTS_DIR / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    for path in reports:
        visit = Visit(browser, path)
        page = visit.page
        try:
            assert visit.errors == [], (path.name, visit.errors)
            assert visit.requests == [], (path.name, visit.requests)
            broken = page.eval_on_selector_all(
                "img", "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0)).length")
            assert broken == 0, path.name
            assert page.locator("script").count() == 0, path.name
            title = page.title()
            if path.name == "index.html":
                assert "Intervention spécifique Maroc" in title
                continue
            phase, subject = path.parent.parent.name, path.parent.name
            assert PHASE_LABELS[phase] in title, title
            if subject != "programme":
                assert page.locator(".rapport-couverture").inner_text()  # cover present
                label = page.locator(".rapport-couverture .rapport-sous-titre").inner_text()
                assert label.removeprefix("Partenariat ") in title
                assert page.evaluate("document.images.length") >= 6
            else:
                assert "Programme" in title
            assert check_toc(page) >= 5
            assert page.locator(".jp-InputArea, .jp-InputPrompt, .jp-OutputPrompt").count() == 0
            text = page.inner_text("body")
            for code in ("import ", "def ", "maroc_eval.", "nbkit", "ctx = "):
                assert code not in text, (path.name, code)
            page.screenshot(path=str(shots / f"{path.stem}.png"))
        finally:
            visit.close()


def test_print_layout_is_a4_chapters_follow_on(browser, reports):
    """A new page after the cover only: chapters follow on (a forced break per chapter left
    pages nearly empty), their headings kept with what follows."""
    visit = Visit(browser, next(p for p in reports if "jette-sidi-bibi" in p.name))
    try:
        visit.page.emulate_media(media="print")
        breaks = visit.page.evaluate(
            "Array.from(document.querySelectorAll('.celltag_rapport-nouvelle-page'))"
            ".map(e => getComputedStyle(e).breakBefore)")
        assert len(breaks) >= 10 and set(breaks) == {"auto"}
        assert visit.page.evaluate(
            "getComputedStyle(document.querySelector('.rapport-couverture')).breakAfter"
        ) == "page"
        after = visit.page.evaluate(
            "Array.from(document.querySelectorAll('h1, h2, h3')).map(e => "
            "getComputedStyle(e).breakAfter)")
        assert set(after) == {"avoid"}
        pdf = visit.page.pdf(format="A4")
        assert pdf.startswith(b"%PDF")
    finally:
        visit.close()


def _inject(data_dir: Path) -> None:
    """A recommendation of the team, on RI 1, and a data comment carrying active HTML."""
    appraisal = paths.appraisals_dir(data_dir) / "midterm" / "jette-sidi-bibi.yml"
    data = yaml.safe_load(appraisal.read_text(encoding="utf-8"))
    rec = data["recommandations"][0]
    rec["action"] = f"Attention {SCRIPT} {IMG} fin"
    rec["resultats"] = sorted({*rec.get("resultats", []), "RI1"})
    appraisal.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                         encoding="utf-8")
    suivi = data_dir / "suivi.csv"
    lines = suivi.read_text(encoding="utf-8").splitlines(keepends=True)
    head = [line for line in lines if line.startswith("#")]
    rows = list(csv.reader(line for line in lines if not line.startswith("#")))
    target = next(r for r in rows[1:] if r[:3] == ["jette-sidi-bibi", "RI1.2", "2010"])
    target[6] = f"Commentaire {SCRIPT} {IMG}"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    suivi.write_text("".join(head) + out.getvalue(), encoding="utf-8")


def test_injected_html_is_shown_as_text(browser, tmp_path):
    data_dir = tmp_path / "donnees"
    shutil.copytree(paths.SAMPLE_DIR, data_dir)
    _inject(data_dir)
    outputs = tmp_path / "outputs"
    cli = Path(sys.executable).with_name("maroc-eval")
    done = subprocess.run([str(cli), "run", "--pair", "jette-sidi-bibi", "--phase", "midterm",
                           "--donnees", str(data_dir), "--sorties", str(outputs), "--quiet"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    build_reports(phase="midterm", outputs=outputs, echo=lambda *_: None)
    report = paths.pair_report_path(outputs, "midterm", "jette-sidi-bibi")
    visit = Visit(browser, report)
    try:
        page = visit.page
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.locator("script").count() == 0
        assert page.locator("img[src='x']").count() == 0
        text = page.inner_text("body")
        # the recommendation: executive summary, RI 1 chapter, recommendations table
        assert text.count(SCRIPT) >= 3
        assert text.count(IMG) >= 2
        assert f"Commentaire {SCRIPT}" in text  # data comment, shown in annex B
        assert visit.errors == [] and visit.requests == []
    finally:
        visit.close()


def test_index_fits_a_1280_pixel_window(browser, reports):
    """No horizontal scrolling at 1280 px: every column (RI 7, Documents) in view."""
    index = reports[-1]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(index.resolve().as_uri())
        scroll, client = page.evaluate("[document.documentElement.scrollWidth, "
                                       "document.documentElement.clientWidth]")
        assert scroll <= client == 1280
        right = page.evaluate("Math.max(...Array.from(document.querySelectorAll('th, td'))"
                              ".map(e => e.getBoundingClientRect().right))")
        assert right <= 1280
        assert "réussis" in page.inner_text("body")  # « Carnets : 24 réussis »
    finally:
        context.close()
