"""A check raised on the team's appraisal reaches validate (at its line), the pair synthesis
(its checks annex and its sidecar) and the report's annex of checks — and the team's answer
closes it everywhere."""

from __future__ import annotations

import json

import pytest
from project_helpers import cli, copy_project

from maroc_eval.base import paths

pytestmark = [pytest.mark.kernel, pytest.mark.slow]

PAIR = "bruxelles-tetouan"


def plain(text: str) -> str:
    """Report text with its typographic spaces as plain ones."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_a_planted_inconsistency_is_shown_at_its_place_until_answered(tmp_path):
    root = copy_project(tmp_path / "projet")
    target = paths.appraisals_dir(root / "data" / "sample") / "final" / f"{PAIR}.yml"
    text = target.read_text("utf-8")
    # Tétouan's conventions cover two partner types of four (DJS, ONG): the team graded QE3 B;
    # a grade A beside that unmet criterion is an inconsistency.
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("  QE3:"))
    at = next(i for i in range(start, len(lines)) if lines[i].startswith("    note: "))
    assert lines[at] == "    note: B\n"
    lines[at] = "    note: A\n"
    target.write_text("".join(lines), "utf-8")

    checked = cli(root, "validate", check=False)
    assert checked.returncode == 0  # a warning, not an error
    assert f"{target.relative_to(root)}:{at + 1}:QE3: avertissement" in checked.stdout
    assert "note-critere-non-satisfait:QE3" in checked.stdout
    assert "2 modalités sur 4" in checked.stdout

    outputs = root / "outputs"
    cli(root, "run", "--partenariat", PAIR, "--phase", "final", "--sorties", str(outputs),
        "--quiet")
    side = json.loads((paths.pair_dir(outputs, "final", PAIR)
                       / "synthese_partenariat.json").read_text("utf-8"))
    [check] = [c for c in side["checks"] if c["id"] == "note-critere-non-satisfait:QE3"]
    assert check["answer"] is None

    cli(root, "report", "--sorties", str(outputs), "--formats", "html")
    html = plain(paths.pair_report_path(outputs, "final", PAIR).read_text("utf-8"))
    annex = html[html.rindex("Annexe C — Contrôles des appréciations"):].split("Annexe D")[0]
    assert "QE3 noté A alors que les données ne satisfont pas" in annex
    assert "Ouvert : à corriger ou à justifier avant la signature" in annex
    # the cover says so: QE3 graded A is away from its proposal (B) and beside an unmet
    # criterion, and the team's B on coherence is now away from its proposal (its only
    # question's grade, A)
    cover = html[html.index("<section class=\"rapport-couverture\""):]
    assert "version de travail, non signée (3 contrôles ouverts)" in cover[:cover.index(
        "</section>")]

    # the team answers the check in its store (what its grid's « Contrôles » sheet records)
    target.write_text("".join(lines) + "controles:\n  note-critere-non-satisfait:QE3: >-\n"
                      "    Les conventions manquantes sont remplacées par une charte signée.\n",
                      "utf-8")
    assert "note-critere-non-satisfait:QE3" not in cli(root, "validate", check=False).stdout
    cli(root, "run", "--partenariat", PAIR, "--phase", "final", "--sorties", str(outputs),
        "--quiet")
    cli(root, "report", "--sorties", str(outputs), "--formats", "html")
    html = plain(paths.pair_report_path(outputs, "final", PAIR).read_text("utf-8"))
    annex = html[html.rindex("Annexe C — Contrôles des appréciations"):].split("Annexe D")[0]
    assert "Les conventions manquantes sont remplacées par une charte signée." in annex
    # that check is closed; the two departures from the proposals are still open
    assert annex.count("Ouvert : à corriger") == 2
