"""Tests of the programme definition: the shipped file, and errors located in a broken copy."""

from __future__ import annotations

import pytest

from maroc_eval.base import paths
from maroc_eval.base.errors import InputError, suggest
from maroc_eval.core.programme import load_programme


def test_shipped_programme_loads(programme):
    assert len(programme.indicators) == 27
    assert len(programme.pairs) == 6
    assert [r.code for r in programme.results] == ["RI1", "RI2", "RI3", "RI4", "RI5", "RI7"]
    assert programme.baseline_year == 2007
    assert tuple(programme.period) == (2008, 2012)
    assert set(programme.phases) == {"midterm", "final"}
    assert programme.rating_codes == ["A", "B", "C", "D"]


def _line_of(text: str, fragment: str) -> int:
    """1-based line of the first line containing ``fragment`` (found by hand, not by the loader)."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_broken_measure_names_key_path_and_line(tmp_path):
    text = paths.PROGRAMME_FILE.read_text(encoding="utf-8")
    broken = text.replace("    mesure: ordinal\n", "    mesure: ordinale\n", 1)
    assert broken != text
    path = tmp_path / "programme.yml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_programme(path)
    [problem] = info.value.problems
    assert problem.column == "indicateurs.0.mesure"
    assert problem.line == _line_of(broken, "mesure: ordinale")
    assert problem.value == "ordinale"


def test_broken_population_and_unknown_key_all_reported(tmp_path):
    text = paths.PROGRAMME_FILE.read_text(encoding="utf-8")
    broken = text.replace("population_2004: 24639", "population_2004: -3", 1)
    broken = broken.replace("bailleur:", "baileur:", 1)
    path = tmp_path / "programme.yml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_programme(path)
    by_key = {p.column: p for p in info.value.problems}
    assert by_key["partenariats.1.population_2004"].line == _line_of(broken, "population_2004: -3")
    assert by_key["baileur"].line == _line_of(broken, "baileur:")


def test_programme_with_tab_is_a_located_error(tmp_path):
    path = tmp_path / "programme.yml"
    path.write_text("nom: x\nphases:\n\tmidterm: 1\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_programme(path)
    assert info.value.problems[0].line == 3
    assert "tabulation" in info.value.problems[0].expected


def test_suggest_finds_close_code():
    assert "jette-sidi-bibi" in suggest("jete-sidi-bibi", ["jette-sidi-bibi", "forest-jerada"])
    assert suggest("zzz", ["jette-sidi-bibi"]) == ""
