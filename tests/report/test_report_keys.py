"""``maroc-eval report`` rebuilds only the reports whose inputs changed."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from maroc_eval.base import paths
from maroc_eval.base.digest import file_sha256
from maroc_eval.report import keys as report_keys
from maroc_eval.report.build import build_reports

pytestmark = pytest.mark.slow
PHASES = ("midterm", "final")


def reports(outputs: Path) -> list[Path]:
    """Every HTML report of the outputs (pairs and programme, both phases)."""
    return sorted(p for p in outputs.glob("*/*/rapport-*.html"))


def snapshot(outputs: Path) -> dict[Path, tuple[int, bytes]]:
    return {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in reports(outputs)}


def rebuilt(before: dict, outputs: Path) -> set[str]:
    """Names of the reports whose file was written again."""
    return {p.name for p in reports(outputs) if p not in before or
            p.stat().st_mtime_ns != before[p][0]}


@pytest.fixture
def outputs(battery_outputs, tmp_path):
    """A copy of the battery's outputs with every report built once."""
    out = tmp_path / "outputs"
    shutil.copytree(battery_outputs, out)
    build_reports(outputs=out, echo=lambda *_: None, formats=("html",))
    return out


def build(outputs: Path, **kw) -> list[str]:
    lines: list[str] = []
    build_reports(outputs=outputs, echo=lines.append, **{"formats": ("html",), **kw})
    return lines


def test_nothing_changed_nothing_rebuilt(outputs):
    before = snapshot(outputs)
    n_pairs = len([p for p in (outputs / "midterm").iterdir() if p.is_dir()]) - 1
    assert len(before) == (n_pairs + 1) * len(PHASES)  # each pair and the programme, per phase
    lines = build(outputs)
    assert rebuilt(before, outputs) == set()
    assert lines == [f"{len(before)} rapports déjà à jour (entrées inchangées) ; "
                     "--forcer pour tout refaire."]
    for path, (_, data) in before.items():
        assert path.read_bytes() == data


def test_stamp_is_in_the_head_of_every_report(outputs):
    for report in reports(outputs):
        head = report.read_bytes()[:2000].decode("utf-8", "replace")
        assert 'name="maroc-eval-entrees"' in head
        key = report_keys.stamped_key(report)
        assert key is not None and len(key) == 64 and f'content="{key}"' in head


def edit_sidecar(path: Path) -> None:
    """Change a result as a new run would: the sidecar, and its digest in the ledger."""
    data = json.loads(path.read_text("utf-8"))
    data["parameters"] = {**data.get("parameters", {}), "test_marker": 1.0}
    path.write_text(json.dumps(data, indent=2), "utf-8")
    phase = path.parents[1].name
    ledger_file = paths.ledger_path(path.parents[2], phase)
    ledger = json.loads(ledger_file.read_text("utf-8"))
    entry = ledger["entries"][f"{path.parent.name}/{path.stem}"]
    entry["outputs"]["sidecar"] = file_sha256(path)
    ledger_file.write_text(json.dumps(ledger), "utf-8")


def test_changed_ri_result_rebuilds_only_that_pair_and_phase(outputs):
    before = snapshot(outputs)
    edit_sidecar(outputs / "midterm" / "jette-sidi-bibi" / "ri3_competences_personnel.json")
    lines = build(outputs)
    assert rebuilt(before, outputs) == {"rapport-midterm-jette-sidi-bibi.html"}
    assert "Rapport midterm / jette-sidi-bibi" in lines
    assert f"{len(before) - 1} rapports déjà à jour" in lines[-1]


def test_changed_pair_synthesis_also_rebuilds_the_programme_report(outputs):
    before = snapshot(outputs)
    edit_sidecar(outputs / "final" / "forest-jerada" / "synthese_partenariat.json")
    build(outputs)
    assert rebuilt(before, outputs) == {"rapport-final-forest-jerada.html",
                                        "rapport-final-programme.html"}


def test_changed_ledger_entry_rebuilds_that_pair(outputs):
    before = snapshot(outputs)
    ledger_file = paths.ledger_path(outputs, "final")
    ledger = json.loads(ledger_file.read_text("utf-8"))
    ledger["entries"]["liege-tanger/ri7_partenariats_locaux"]["duration"] += 1
    ledger_file.write_text(json.dumps(ledger), "utf-8")
    build(outputs)
    assert rebuilt(before, outputs) == {"rapport-final-liege-tanger.html"}


def test_deleted_or_edited_report_is_rebuilt_and_force_rebuilds_all(outputs):
    target = paths.pair_report_path(outputs, "midterm", "forest-jerada")
    original = target.read_text("utf-8")
    target.write_text("<html>modifié à la main</html>", "utf-8")  # no stamp any more
    paths.pair_report_path(outputs, "final", "forest-jerada").unlink()
    before = snapshot(outputs)
    build(outputs)
    assert rebuilt(before, outputs) == {"rapport-midterm-forest-jerada.html",
                                        "rapport-final-forest-jerada.html"}
    # Same inputs, same report: same key, same text but for the production time it records.
    produced = re.compile(r"Rapport produit le</th><td>[^<]+</td>")
    again = target.read_text("utf-8")
    assert produced.search(again) and produced.search(original)
    assert produced.sub("", again) == produced.sub("", original)
    before = snapshot(outputs)
    build(outputs, force=True)
    assert rebuilt(before, outputs) == {p.name for p in before}


def test_template_change_rebuilds_every_report(outputs, tmp_path, monkeypatch):
    templates = tmp_path / "templates"
    shutil.copytree(paths.TEMPLATES_DIR, templates)
    css = templates / paths.REPORT_TEMPLATE / "static" / "rapport.css"
    css.write_text(css.read_text("utf-8") + "\n/* marqueur-de-test */\n", "utf-8")
    monkeypatch.setattr(paths, "TEMPLATES_DIR", templates)
    before = snapshot(outputs)
    build(outputs)
    assert rebuilt(before, outputs) == {p.name for p in before}
    assert all("marqueur-de-test" in p.read_text("utf-8") for p in reports(outputs))


def test_common_digest_covers_every_template_folder_a_report_uses(tmp_path, monkeypatch):
    """The nbconvert template and the fragments of the report's own sections (cover, annexes)."""
    from maroc_eval.report import sections

    used = {name.split("/")[0] for name in (sections.SECTIONS, sections.BLOCKS)}
    assert {paths.REPORT_TEMPLATE, *used} <= set(report_keys.REPORT_TEMPLATES)
    templates = tmp_path / "templates"
    shutil.copytree(paths.TEMPLATES_DIR, templates)
    monkeypatch.setattr(paths, "TEMPLATES_DIR", templates)
    seen = {report_keys.common_digest(paths.PROGRAMME_FILE)}
    for folder in report_keys.REPORT_TEMPLATES:
        some_file = sorted(p for p in (templates / folder).rglob("*") if p.is_file())[0]
        some_file.write_text(some_file.read_text("utf-8") + "\n", "utf-8")
        seen.add(report_keys.common_digest(paths.PROGRAMME_FILE))
    assert len(seen) == 1 + len(report_keys.REPORT_TEMPLATES)
