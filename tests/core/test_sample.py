"""The committed sample equals a fresh generation and carries the stories it claims."""

from __future__ import annotations

import csv
import importlib.util
import io

import pytest

from maroc_eval.base import paths
from maroc_eval.core.programme import load_programme

CSV_HEADER = "partenariat,indicateur,annee,valeur,ventilation,source,commentaire"


@pytest.fixture(scope="module")
def generator():
    spec = importlib.util.spec_from_file_location(
        "make_sample", paths.PROJ_ROOT / "scripts" / "make_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def rows():
    text = paths.SAMPLE_OBSERVATIONS.read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[0].startswith("# DONNÉES FICTIVES")
    assert lines[1] == CSV_HEADER
    return list(csv.DictReader(io.StringIO("\n".join(lines[1:]))))


def values(rows, pair, code):
    """{year: summed value} of one pair × indicator (categories summed; oui/non → 1/0)."""
    out: dict[int, float] = {}
    for row in rows:
        if row["partenariat"] == pair and row["indicateur"] == code:
            raw = {"oui": "1", "non": "0"}.get(row["valeur"], row["valeur"])
            out[int(row["annee"])] = out.get(int(row["annee"]), 0.0) + float(raw)
    return out


def test_regeneration_is_byte_identical(generator, tmp_path):
    written = generator.generate(tmp_path)
    assert [p.name for p in written] == ["suivi.csv", "budget.csv", "donnees.yml"]
    for path in written:
        assert path.read_bytes() == (paths.SAMPLE_DIR / path.name).read_bytes(), path.name


def test_the_sample_says_it_is_fictitious():
    from maroc_eval.core.project import data_info

    assert data_info(paths.SAMPLE_DIR).fictitious


def test_every_pair_indicator_has_a_baseline(rows):
    programme = load_programme()
    present = {(r["partenariat"], r["indicateur"]) for r in rows if r["annee"] == "2007"}
    expected = {(p, i.code) for p in programme.pair_codes for i in programme.indicators}
    assert present == expected


def test_gaps_only_in_liege_tanger_2009_to_2011(rows):
    programme = load_programme()
    years = set(programme.years)
    for pair in programme.pair_codes:
        for ind in programme.indicators:
            missing = years - set(values(rows, pair, ind.code))
            if pair != "liege-tanger":
                assert not missing, (pair, ind.code)
            else:
                assert missing <= {2009, 2010, 2011}, ind.code
    assert 2010 not in values(rows, "liege-tanger", "RI2.3")
    assert 2011 not in values(rows, "liege-tanger", "RI7.4")


def test_forest_jerada_stalls_after_2009(rows):
    ri12 = values(rows, "forest-jerada", "RI1.2")
    assert ri12[2010] == ri12[2011] == ri12[2012]
    assert ri12[2009] > ri12[2007]
    ri44 = values(rows, "forest-jerada", "RI4.4")
    assert ri44[2012] > ri44[2009]  # equipment out of service rises again
    # cumulative flows stop: nothing more trained after 2010
    assert values(rows, "forest-jerada", "RI3.1")[2012] == 0


def test_ri44_falls_for_most_pairs(rows):
    programme = load_programme()
    falls = [p for p in programme.pair_codes
             if values(rows, p, "RI4.4")[2012] < values(rows, p, "RI4.4")[2007]]
    assert len(falls) >= 4


def test_formats_and_sources(rows):
    assert {r["ventilation"] for r in rows if r["indicateur"] == "RI3.1"} == {"sexe=F", "sexe=H"}
    assert {r["ventilation"] for r in rows if r["indicateur"] == "RI7.1"} == {
        "partenaire=DJS", "partenaire=DAS", "partenaire=ONG", "partenaire=INDH"}
    assert {r["valeur"] for r in rows if r["indicateur"] == "RI2.1"} == {"oui", "non"}
    assert {r["valeur"] for r in rows if r["indicateur"] == "RI1.1"} <= set("01234")
    assert all(r["source"].endswith(" (fictif)") for r in rows)
    for row in rows:
        if row["indicateur"] in ("RI1.3", "RI1.4", "RI2.3", "RI4.4", "RI5.1", "RI5.3"):
            assert 0 <= float(row["valeur"]) <= 100
    assert any("«" in r["commentaire"] for r in rows)


def test_bruxelles_tetouan_planning_adopted_late(rows):
    adopted = values(rows, "bruxelles-tetouan", "RI2.1")
    assert adopted[2011] == 0 and adopted[2012] == 1


def test_appraisals_are_hand_written_complete_and_fictitious():
    """The sample team's appraisals: every pair and the programme at both phases, each file
    saying it is fictitious, nothing « à compléter », every check fixed or answered."""
    from maroc_eval.core.dataset import read_dataset
    from maroc_eval.core.review import review_all

    programme = load_programme()
    files = sorted(paths.appraisals_dir(paths.SAMPLE_DIR).glob("*/*.yml"))
    expected = {(phase, who) for phase in programme.phases
                for who in [*programme.pair_codes, "programme"]}
    assert {(f.parent.name, f.stem) for f in files} == expected
    for path in files:
        assert path.read_text("utf-8").startswith("# DONNÉES FICTIVES"), path
    dataset = read_dataset(paths.PROGRAMME_FILE, paths.SAMPLE_DIR)
    for found in review_all(dataset):
        assert found.blanks == [], (found.phase, found.who, found.blanks[:3])
        assert found.open_checks == [], (found.phase, found.who,
                                          [c.message for c in found.open_checks[:3]])


def test_sample_loads_without_errors():
    from maroc_eval.core.observations import read_observations

    frame, problems = read_observations([paths.SAMPLE_OBSERVATIONS], load_programme())
    assert problems.errors == []
    assert problems.warnings  # the deliberate gaps
    assert all("liege-tanger" in (p.value or "") for p in problems.warnings)
    assert len(frame) == frame.attrs["rows_read"]
