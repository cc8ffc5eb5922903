"""Tests of the judgements loader (appreciations.yml): content, and errors located by line."""

from __future__ import annotations

import pytest

from maroc_eval import paths
from maroc_eval.core.judgements import load_judgements, read_judgements
from maroc_eval.errors import InputError
from maroc_eval.sidecar import Finding

GOOD = """\
# données fictives
midterm:
  jette-sidi-bibi:
    resultats:
      RI1:
        note: B
        constats: ["Service créé", "Agents <b>affectés</b>"]
        recommandations:
          - Équiper le service
      RI7: {note: c, constats: Une seule phrase}
    criteres_cad:
      pertinence: {note: A, justification: "Répond aux besoins"}
final:
"""


def test_good_file(programme, write_file):
    judgements = load_judgements(write_file("appreciations.yml", GOOD), programme)
    assert judgements.ri("midterm", "jette-sidi-bibi", "RI1") == Finding(
        score="B", findings=["Service créé", "Agents <b>affectés</b>"],
        recommendations=["Équiper le service"])
    assert judgements.ri("midterm", "jette-sidi-bibi", "RI7") == Finding(
        score="C", findings=["Une seule phrase"])
    assert judgements.ri("midterm", "jette-sidi-bibi", "RI2") is None
    assert judgements.ri("final", "jette-sidi-bibi", "RI1") is None
    assert judgements.criteria("midterm", "jette-sidi-bibi") == {
        "pertinence": Finding(score="A", justification="Répond aux besoins")}
    assert judgements.criteria("final", "forest-jerada") == {}


# (text replaced in GOOD, replacement, kind, line, key path)
BROKEN = [
    ("midterm:", "midtrem:", "unknown-phase", 2, "midtrem"),
    ("  jette-sidi-bibi:", "  jette-sidi-bib:", "unknown-pair", 3, "midterm.jette-sidi-bib"),
    ("      RI7:", "      RI6:", "unknown-ri", 10, "midterm.jette-sidi-bibi.resultats.RI6"),
    ("pertinence:", "pertinance:", "unknown-criterion", 12,
     "midterm.jette-sidi-bibi.criteres_cad.pertinance"),
    ("note: B", "note: E", "bad-score", 6, "midterm.jette-sidi-bibi.resultats.RI1.note"),
    ("note: B", "note: 2", "bad-score", 6, "midterm.jette-sidi-bibi.resultats.RI1.note"),
    ("        note: B\n", "", "missing-score", 5, "midterm.jette-sidi-bibi.resultats.RI1"),
    ("constats: [", "constat: [", "unknown-key", 7,
     "midterm.jette-sidi-bibi.resultats.RI1.constat"),
    ("    resultats:", "    resultat:", "unknown-key", 4, "midterm.jette-sidi-bibi.resultat"),
    ("constats: Une seule phrase", "constats: {a: 1}", "judgement-type", 10,
     "midterm.jette-sidi-bibi.resultats.RI7.constats"),
    ("      RI7: {note: c, constats: Une seule phrase}", "      RI7: [B]", "judgement-type", 10,
     "midterm.jette-sidi-bibi.resultats.RI7"),
]


@pytest.mark.parametrize(("old", "new", "kind", "line", "key"), BROKEN)
def test_broken_file_names_line_and_key(programme, write_file, old, new, kind, line, key):
    text = GOOD.replace(old, new, 1)
    assert text != GOOD
    path = write_file("appreciations.yml", text)
    with pytest.raises(InputError) as info:
        load_judgements(path, programme)
    [problem] = [p for p in info.value.problems if p.is_error]
    assert ((problem.kind, problem.line, problem.column, problem.file)
            == (kind, line, key, str(path)))


def test_unknown_phase_is_suggested(programme, write_file):
    _, problems = read_judgements(write_file("a.yml", GOOD.replace("midterm:", "midtrem:")),
                                  programme)
    assert "vouliez-vous dire « midterm »" in problems.errors[0].expected


def test_score_not_yet_given_is_a_warning(programme, write_file):
    text = GOOD.replace("note: B", "note:")
    judgements, problems = read_judgements(write_file("a.yml", text), programme)
    assert ([(p.kind, p.severity, p.line) for p in problems.items]
            == [("no-score", "avertissement", 6)])
    assert judgements.ri("midterm", "jette-sidi-bibi", "RI1").score is None


@pytest.mark.parametrize(("text", "kind", "line"), [
    ("midterm:\n\tjette-sidi-bibi: {}\n", "yaml-syntax", 2),
    ("midterm: {}\nmidterm: {}\n", "duplicate-key", 2),
    ("- midterm\n", "judgement-type", 1),
    ("midterm: [\n", "yaml-syntax", 2),
])
def test_unreadable_yaml(programme, write_file, text, kind, line):
    _, problems = read_judgements(write_file("a.yml", text), programme)
    assert [(p.kind, p.line) for p in problems.errors] == [(kind, line)]


def test_all_problems_at_once(programme, write_file):
    text = GOOD.replace("note: B", "note: E").replace("      RI7:", "      RI6:")
    _, problems = read_judgements(write_file("a.yml", text), programme)
    assert {p.kind for p in problems.errors} == {"bad-score", "unknown-ri"}


def test_sample_judgements_load(programme):
    judgements = load_judgements(paths.SAMPLE_JUDGEMENTS, programme)
    for phase in programme.phases:
        for pair in programme.pair_codes:
            for ri in programme.result_map:
                assert judgements.ri(phase, pair, ri).score in programme.rating_codes
            assert set(judgements.criteria(phase, pair)) == {c.code for c in programme.criteria}
