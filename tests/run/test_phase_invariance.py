"""A phase's outputs do not depend on what happened after it: proven end to end, on real kernels.

The sample is run and reported on a project copy; another copy has every kind of change after
the phase's reference year (values, comments, sources, disaggregated rows, rows deleted, a row
added where one was missing); the phase's sidecars and reports must be identical, but for the
provenance annex (the data files' hashes) and the inputs key stamped in the head. The same holds
for a phase added to ``params/programme.yml`` only (an intermediate review in 2009).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from project_helpers import cli, copy_project

PAIR = "liege-tanger"  # the pair whose sample has gaps (a row can be added after the phase)
REVIEW = ("phases:\n  revue2009:\n    libelle: Revue intermédiaire\n    annee: 2009\n"
          "    nature: formative\n")
MEASURES = {}


def _measures() -> dict[str, str]:
    if not MEASURES:
        from maroc_eval.core.programme import load_programme

        MEASURES.update({i.code: i.measure for i in load_programme().indicators})
    return MEASURES


def change_after(csv_path: Path, year: int) -> int:
    """Change the monitoring file in every way after ``year``; return how many rows changed."""
    text = csv_path.read_text("utf-8")
    comments = [line for line in text.splitlines(keepends=True) if line.startswith("#")]
    rows = list(csv.reader(io.StringIO("".join(line for line in text.splitlines(keepends=True)
                                               if not line.startswith("#")))))
    header, body = rows[0], rows[1:]
    out, changed = [], 0
    for n, row in enumerate(body):
        pair, code, y, value, split, source, comment = row
        if int(y) <= year:
            out.append(row)
            continue
        changed += 1
        if n % 7 == 0:
            continue  # deleted
        measure = _measures()[code]
        if n % 3 == 0 and measure == "nombre":
            value = str(float(value) + 1)
        elif n % 3 == 0 and measure == "pourcentage":
            value = str(max(0.0, float(value) - 1))
        if n % 5 == 0:
            source, comment = "une autre source", "modifié après coup"
        if split and n % 2 == 0:
            comment = "ventilation révisée"
        out.append([pair, code, y, value, split, source, comment])
    out.append([PAIR, "RI3.3", "2011", "55", "", "ajout tardif", "valeur transmise en retard"])
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *out])
    csv_path.write_text("".join(comments) + buffer.getvalue(), "utf-8")
    return changed + 1


def _normalised(report: str) -> str:
    """A report without what is allowed to differ: its inputs key, its navigation bar (links to
    the reports built beside it) and the provenance annex."""
    report = re.sub(r'<meta [^>]*\bname="maroc-eval-entrees"[^>]*>', "", report)
    report = re.sub(r'<div [^>]*\bclass="rapport-navigation"[^>]*>.*?</div>', "", report,
                    flags=re.S)
    found = re.search(r'<h\d id="[^"]*provenance[^"]*"', report)
    assert found, "the report has a provenance annex"
    return report[:found.start()] + report[report.find("</main>", found.start()):]


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Path]:
    """Three project copies with a 2009 review in the programme: the sample as it is, the
    sample changed after 2010, the sample changed after 2009; each run and reported."""
    found = {}
    for name, after in (("original", None), ("after2010", 2010), ("after2009", 2009)):
        root = copy_project(tmp_path_factory.mktemp(name))
        programme = root / "params" / "programme.yml"
        programme.write_text(programme.read_text("utf-8").replace("phases:\n", REVIEW, 1),
                             "utf-8")
        if after is not None:
            assert change_after(root / "data" / "sample" / "suivi.csv", after) > 20
        phases = {"original": ("midterm", "revue2009"), "after2010": ("midterm",),
                  "after2009": ("revue2009",)}[name]
        for phase in phases:
            cli(root, "run", "--phase", phase, "--pair", PAIR, "-q")
            cli(root, "report", "--phase", phase)
        found[name] = root
    return found


def _compare(before: Path, after: Path, phase: str) -> int:
    """Assert the phase's sidecars and reports are the same; return how many files compared."""
    folder_a, folder_b = before / "outputs" / phase, after / "outputs" / phase
    sidecars = sorted(p.relative_to(folder_a) for p in folder_a.rglob("*.json")
                      if p.name != "ledger.json")
    assert sidecars and sidecars == sorted(p.relative_to(folder_b) for p in folder_b.rglob("*.json")
                                           if p.name != "ledger.json")
    for rel in sidecars:
        assert (folder_a / rel).read_text("utf-8") == (folder_b / rel).read_text("utf-8"), rel
    reports = sorted(p.relative_to(folder_a) for p in folder_a.rglob("rapport-*.html"))
    assert len(reports) == 2  # the pair's and the programme's
    for rel in reports:
        a = _normalised((folder_a / rel).read_text("utf-8"))
        b = _normalised((folder_b / rel).read_text("utf-8"))
        assert a == b, rel
    return len(sidecars) + len(reports)


def test_mid_term_outputs_do_not_depend_on_rows_after_2010(runs):
    compared = _compare(runs["original"], runs["after2010"], "midterm")
    assert compared == 8 + 2  # six RI sidecars, the pair's and the programme's; two reports


def test_a_review_phase_added_to_the_programme_sees_only_up_to_2009(runs):
    compared = _compare(runs["original"], runs["after2009"], "revue2009")
    assert compared == 10
    import json

    side = json.loads((runs["original"] / "outputs" / "revue2009" / PAIR
                       / "ri1_service_action_sociale.json").read_text("utf-8"))
    assert side["reference_year"] == 2009
    assert all(row["missing_years"] == [] or max(row["missing_years"]) <= 2009
               for row in side["indicators"])
    report = (runs["original"] / "outputs" / "revue2009" / PAIR
              / f"rapport-revue2009-{PAIR}.html").read_text("utf-8")
    assert "Revue intermédiaire" in report
    assert "Valeur 2009" in report and "Valeur 2010" not in report and "Valeur 2012" not in report


def test_the_mid_term_report_follows_the_review_that_preceded_it(runs):
    report = (runs["original"] / "outputs" / "midterm" / PAIR
              / f"rapport-midterm-{PAIR}.html").read_text("utf-8")
    assert "Comparaison avec l" in report and "Note de l’équipe 2009" in report
