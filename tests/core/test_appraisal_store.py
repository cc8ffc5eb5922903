"""The store of the team's appraisals: one YAML file per pair and phase, every problem located,
and written back without losing anything."""

from __future__ import annotations

import datetime as dt

import pytest

from maroc_eval.base.errors import InputError
from maroc_eval.core.appraisal import (
    Answer,
    Appraisal,
    Conclusion,
    EvidenceSeen,
    Findings,
    FollowUp,
    Grade,
    Interview,
    Method,
    Recommendation,
    Visit,
)
from maroc_eval.core.appraisal_store import (
    appraisal_path,
    dump_appraisal,
    load_appraisals,
    read_appraisals,
)
from maroc_eval.core.matrix import load_matrix

GOOD = """\
# données fictives
partenariat: jette-sidi-bibi
phase: midterm
questions:
  QE4:
    constats:
      - critere: 1
        suivi: Le service est « créé » depuis 2009.
        entretiens: Le président confirme <b>l'inscription</b> prévue en 2011.
        references: PV du 12/03/2010
    reponse: Le service existe mais n'est pas encore inscrit à l'organigramme.
    note: b
resultats:
  RI1: {note: B, appreciation: Un service jeune mais actif.}
criteres_cad:
  pertinence: {note: A, appreciation: Répond aux besoins.}
conclusions:
  - {id: C1, texte: Le service tient., questions: [QE4], constats: [QE4.1]}
recommandations:
  - id: R1
    action: Que la commune inscrive le service à l'organigramme en 2011.
    destinataire: commune_marocaine
    priorite: haute
    echeance: 2011-12-31
    conclusions: [C1]
    resultats: [RI1]
methode:
  entretiens:
    - {fonction: Président du conseil, institution: Commune de Sidi Bibi, date: 2010-11-16}
"""


@pytest.fixture
def store(tmp_path):
    """Write a store file at its place in a data folder; returns (data folder, path)."""

    def write(text: str, phase: str = "midterm", who: str = "jette-sidi-bibi"):
        path = appraisal_path(tmp_path, phase, who)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return tmp_path, path

    return write


@pytest.fixture(scope="module")
def matrix(programme):
    return load_matrix(programme)


def test_a_good_file_is_read_as_written(programme, matrix, store):
    data, path = store(GOOD)
    found = load_appraisals(data, programme, matrix).evaluation("midterm", "jette-sidi-bibi")
    answer = found.questions["QE4"]
    assert answer.score == "B"  # case-insensitive
    assert answer.findings == [Findings(
        question="QE4", criterion=1,
        texts={"suivi": "Le service est « créé » depuis 2009.",
               "entretiens": "Le président confirme <b>l'inscription</b> prévue en 2011."},
        references="PV du 12/03/2010")]
    assert found.results == {"RI1": Grade(score="B", text="Un service jeune mais actif.")}
    assert found.recommendations[0].deadline == dt.date(2011, 12, 31)
    assert found.method.interviews[0].date == dt.date(2010, 11, 16)
    assert found.file == str(path)


# (text replaced in GOOD, replacement, kind, line, key path)
BROKEN = [
    ("phase: midterm", "phase: final", "misplaced-appraisal", 3, "phase"),
    ("  QE4:", "  QE44:", "unknown-question", 5, "questions.QE44"),
    ("      - critere: 1", "      - critere: 3", "bad-reference", 7,
     "questions.QE4.constats.0.critere"),
    ("        suivi:", "        suivis:", "unknown-key", 8, "questions.QE4.constats.0.suivis"),
    ("    note: b", "    note: E", "bad-score", 12, "questions.QE4.note"),
    ("  RI1: {", "  RI6: {", "unknown-code", 14, "resultats.RI6"),
    ("  pertinence:", "  pertinance:", "unknown-code", 16, "criteres_cad.pertinance"),
    ("constats: [QE4.1]", "constats: [QE9.4]", "bad-reference", 18, "conclusions.0.constats.0"),
    ("{id: C1,", "{id: X1,", "bad-id", 18, "conclusions.0.id"),
    ("    destinataire: commune_marocaine", "    destinataire: le_maire", "unknown-code", 22,
     "recommandations.0.destinataire"),
    ("    echeance: 2011-12-31", "    echeance: fin 2011", "bad-date", 24,
     "recommandations.0.echeance"),
    ("    conclusions: [C1]", "    conclusions: [C7]", "bad-reference", 25,
     "recommandations.0.conclusions.0"),
    ("conclusions:\n  - {id", "conclusion:\n  - {id", "unknown-key", 17, "conclusion"),
]


@pytest.mark.parametrize(("old", "new", "kind", "line", "key"), BROKEN)
def test_a_broken_file_names_line_and_key(programme, matrix, store, old, new, kind, line, key):
    text = GOOD.replace(old, new, 1)
    assert text != GOOD
    data, path = store(text)
    with pytest.raises(InputError) as info:
        load_appraisals(data, programme, matrix)
    found = [(p.kind, p.line, p.column, p.file) for p in info.value.problems if p.is_error]
    assert (kind, line, key, str(path)) in found


def test_every_problem_at_once_and_a_suggestion(programme, matrix, store):
    data, _path = store(GOOD.replace("    note: b", "    note: E")
                        .replace("  pertinence:", "  pertinance:"))
    _found, problems = read_appraisals(data, programme, matrix)
    assert {p.kind for p in problems.errors} == {"bad-score", "unknown-code"}
    assert any("vouliez-vous dire « pertinence »" in p.expected for p in problems.errors)


def test_a_file_out_of_place_is_an_error(programme, matrix, tmp_path):
    for name in ("midterm/liege.yml", "mi-parcours/liege-tanger.yml", "midterm/notes.txt"):
        path = tmp_path / "appreciations" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(GOOD, encoding="utf-8")
    _found, problems = read_appraisals(tmp_path, programme, matrix)
    shown = sorted(p.value for p in problems.errors)
    assert shown == ["liege.yml", "mi-parcours", "notes.txt"]


def test_a_follow_up_names_a_mid_term_recommendation(programme, matrix, store):
    data, _ = store(GOOD)
    _, path = store("suivi:\n  R1: {etat: partielle}\n  R2: {etat: partielle}\n", "final")
    _found, problems = read_appraisals(data, programme, matrix)
    [problem] = problems.errors
    assert (problem.kind, problem.value, problem.line, problem.file) == (
        "bad-reference", "R2", 3, str(path))
    assert "R1" in problem.expected


def test_no_store_folder_is_an_empty_store(programme, matrix, tmp_path):
    found, problems = read_appraisals(tmp_path, programme, matrix)
    assert not found.items and not problems.items
    assert found.evaluation("final", "forest-jerada").empty


RICH = Appraisal(
    who="forest-jerada", phase="final",
    questions={"QE1": Answer(findings=[
        Findings(question="QE1", criterion=1,
                 texts={"suivi": "=SOMME(A1:A3) reste du texte",
                        "documents": "Ligne un\nLigne deux",
                        "visites": "@le centre", "entretiens": "+33 % selon l'agent"},
                 references="PV ; entretien n° 3"),
        Findings(question="QE1", criterion=3, texts={"entretiens": "é" * 5000})],
        text="Réponse : « partielle ».", score="C", justification="-1 cran : départs d'agents")},
    results={"RI1": Grade(score="C", text="Stagnation depuis 2010.")},
    criteria={"efficience": Grade(score="B", text="Coûts dans la médiane.", justification="")},
    conclusions=[Conclusion(id="C1", text="Le service a perdu ses agents formés.",
                            questions=["QE1"], findings=["QE1.1"])],
    recommendations=[Recommendation(id="R1", text="Que la commune inscrive deux postes.",
                                    addressee="commune_marocaine", priority="haute",
                                    deadline=dt.date(2013, 12, 31), conclusions=["C1"],
                                    results=["RI1", "RI3"])],
    lessons=["Un service sans postes budgétés ne survit pas au départ de ses agents."],
    follow_up={"R1": FollowUp(state="non_mise_en_oeuvre", comment="Gel des recrutements.")},
    method=Method(documents=["Compte administratif 2011"],
                  interviews=[Interview(role="Cheffe du service", institution="Commune de Jérada",
                                        date=dt.date(2012, 11, 14))],
                  visits=[Visit(place="Centre social du quartier Hassi Blal")]),
    answers={"triangulation:QE1.3": "Une seule source : les dossiers du personnel sont absents."},
    seen=EvidenceSeen(date=dt.date(2013, 1, 10), values={"forest-jerada": {"RI3.1": 6.0,
                                                                           "RI2.3": None}},
                      missing={"forest-jerada": {"RI7.4": [2011]}}),
    english={"Le service a perdu ses agents formés.": "The service lost its trained staff."})


def test_what_is_written_reads_back_the_same(programme, matrix, tmp_path):
    earlier = appraisal_path(tmp_path, "midterm", "forest-jerada")
    earlier.parent.mkdir(parents=True)
    earlier.write_text(dump_appraisal(RICH.model_copy(update={"phase": "midterm",
                                                             "follow_up": {}})), "utf-8")
    path = appraisal_path(tmp_path, "final", "forest-jerada")
    path.parent.mkdir(parents=True)
    path.write_text(dump_appraisal(RICH, "Appréciations — Forest – Jérada"), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Appréciations — Forest – Jérada\npartenariat: forest-jerada\n")
    found = load_appraisals(tmp_path, programme, matrix).evaluation("final", "forest-jerada")
    assert found.model_copy(update={"file": ""}) == RICH
    assert "fr: Le service a perdu ses agents formés." in text
    assert "en: The service lost its trained staff." in text
