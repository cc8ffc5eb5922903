"""The checks on the team's appraisals: each inconsistency, planted, is found at its place; a
consistent appraisal raises none; an answered check is no longer open.

The sample's monitoring data and budget are the evidence (a copy without appraisals); the
appraisals are built here. Expected figures are read off the sample's data (see the evidence
packs' logic: Forest – Jérada stalls from 2010, two partner types of four have a convention).
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from maroc_eval.base import paths
from maroc_eval.core.appraisal import (
    Answer,
    Appraisal,
    Conclusion,
    EvidenceSeen,
    Findings,
    FollowUp,
    Grade,
    Recommendation,
)
from maroc_eval.core.appraisal_store import Appraisals, appraisal_path, dump_appraisal
from maroc_eval.core.dataset import read_dataset
from maroc_eval.core.review import review

PAIR = "forest-jerada"


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """A copy of the sample's monitoring data and budget, without any appraisal."""
    folder = tmp_path_factory.mktemp("donnees")
    for name in ("suivi.csv", "budget.csv", "donnees.yml"):
        shutil.copy(paths.SAMPLE_DIR / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def dataset(data):
    return read_dataset(paths.PROGRAMME_FILE, data)


def checked(dataset, *items: Appraisal, phase="final", who=PAIR):
    """The review of one appraisal, the others given as its context."""
    dataset.appraisals = Appraisals({(i.phase, i.who): i for i in items})
    dataset._views.clear()  # the phase views carry the appraisals they were made with
    return review(dataset, phase, who)


def ids(found):
    return {c.id for c in found.checks}


def findings(question, criterion, **texts):
    return Findings(question=question, criterion=criterion, texts=texts)


def test_a_grade_away_from_the_proposal_needs_a_justification(dataset):
    proposed = checked(dataset, Appraisal(who=PAIR, phase="final")).evidence.questions["QE4"]
    assert proposed.proposal.grade == "C"  # index 49 %, criteria unmet (RI1.1 stage 2 of 4)
    plain = Appraisal(who=PAIR, phase="final", questions={"QE4": Answer(score="A")})
    found = checked(dataset, plain)
    [check] = [c for c in found.checks if c.kind == "ecart-proposition"]
    assert (check.id, check.path) == ("ecart-proposition:QE4", ("questions", "QE4", "note"))
    assert "2 crans" in check.message
    justified = plain.model_copy(update={"questions": {"QE4": Answer(
        score="A", justification="Les visites montrent un service équipé malgré les chiffres.")}})
    assert "ecart-proposition:QE4" not in ids(checked(dataset, justified))


def test_grade_a_beside_an_unmet_criterion(dataset):
    # QE3.1: Jérada has conventions with 2 partner types of 4 (DJS, DAS)
    item = Appraisal(who=PAIR, phase="final",
                     questions={"QE3": Answer(score="A", justification="choix de l'équipe")},
                     results={"RI7": Grade(score="A", justification="choix de l'équipe")})
    found = {c.id: c for c in checked(dataset, item).checks}
    assert "2 modalités sur 4" in found["note-critere-non-satisfait:QE3"].message
    assert "2 modalités sur 4" in found["note-critere-non-satisfait:RI7"].message
    assert found["note-critere-non-satisfait:RI7"].path == ("resultats", "RI7", "note")


def test_efficiency_graded_without_cost_data(data, dataset, tmp_path):
    shutil.copy(data / "suivi.csv", tmp_path / "suivi.csv")
    shutil.copy(data / "donnees.yml", tmp_path / "donnees.yml")
    bare = read_dataset(paths.PROGRAMME_FILE, tmp_path)
    item = Appraisal(who=PAIR, phase="final", questions={"QE8": Answer(score="B")},
                     criteria={"efficience": Grade(score="B")})
    assert {"efficience-sans-couts:QE8", "efficience-sans-couts:efficience"} <= ids(
        checked(bare, item))
    assert not {c for c in ids(checked(dataset, item)) if c.startswith("efficience-sans")}


def test_a_better_final_grade_while_nothing_moved(dataset):
    # Forest – Jérada's RI 1 values are the same in 2010 and 2012
    mid = Appraisal(who=PAIR, phase="midterm", results={"RI1": Grade(score="C")})
    final = Appraisal(who=PAIR, phase="final", results={"RI1": Grade(score="B")})
    assert "progres-sans-mouvement:RI1" in ids(checked(dataset, mid, final))
    final_same = Appraisal(who=PAIR, phase="final", results={"RI1": Grade(score="C")})
    assert "progres-sans-mouvement:RI1" not in ids(checked(dataset, mid, final_same))


def test_a_finding_resting_on_one_kind_of_source(dataset):
    item = Appraisal(who=PAIR, phase="final", questions={"QE4": Answer(findings=[
        findings("QE4", 1, entretiens="Le président l'affirme."),
        findings("QE4", 2, suivi="Trois agents.", visites="Deux bureaux équipés.")])})
    found = checked(dataset, item)
    assert "triangulation:QE4.1" in ids(found) and "triangulation:QE4.2" not in ids(found)


RECOMMENDATION = dict(addressee="commune_marocaine", priority="haute",
                      deadline=dt.date(2013, 12, 31))


def test_the_chain_findings_conclusions_recommendations(dataset):
    item = Appraisal(
        who=PAIR, phase="final",
        questions={"QE4": Answer(findings=[findings("QE4", 1, suivi="x", entretiens="y")])},
        conclusions=[Conclusion(id="C1", text="Le service tient.", findings=["QE4.1"]),
                     Conclusion(id="C2", text="Une intuition.", questions=["QE9"]),
                     Conclusion(id="C3", text="Sur un constat vide.", findings=["QE4.2"])],
        recommendations=[Recommendation(id="R1", text="Que la commune de Jérada inscrive au "
                                        "budget deux postes permanents, pour garder ses agents.",
                                        conclusions=["C1"], **RECOMMENDATION),
                         Recommendation(id="R2", text="Que la commune recrute un agent pour "
                                        "suivre les subventions et rendre compte au conseil.",
                                        **RECOMMENDATION)])
    found = ids(checked(dataset, item))
    assert {"conclusion-sans-constat:C2", "conclusion-sans-constat:C3",
            "recommandation-sans-conclusion:R2"} <= found
    assert "conclusion-sans-constat:C1" not in found
    assert "recommandation-sans-conclusion:R1" not in found


@pytest.mark.parametrize(("text", "restates"), [
    ("Porter « budget d'entretien » de 74 kMAD/an à 75 kMAD/an d'ici le 31/12/2013", True),
    ("Atteindre la cible RI3.1 de 12 agents formés", True),
    ("Porter les agents formés en ingénierie sociale de 6 à 12", True),
    ("Que la commune de Jérada inscrive au budget 2013 deux postes permanents au service "
     "social, pour que les agents formés restent en fonction", False),
    ("Que le service d'action sociale tienne à jour le tableau de bord social chaque trimestre "
     "et le présente à la commission sociale du conseil", False),
])
def test_a_recommendation_that_only_restates_a_target(dataset, text, restates):
    item = Appraisal(who=PAIR, phase="final", recommendations=[
        Recommendation(id="R1", text=text, conclusions=["C1"], **RECOMMENDATION)])
    assert ("recommandation-cible:R1" in ids(checked(dataset, item))) is restates


def test_a_final_recommendation_repeating_a_mid_term_one(dataset):
    text = ("Que la commune de Jérada remplace les deux agents partis et inscrive leurs postes "
            "au budget, pour que le service fonctionne à effectif complet.")
    mid = Appraisal(who=PAIR, phase="midterm", recommendations=[Recommendation(
        id="R2", text=text, **{**RECOMMENDATION, "deadline": dt.date(2011, 12, 31)})])
    final = Appraisal(who=PAIR, phase="final", recommendations=[Recommendation(
        id="R1", text=text.replace("Jérada", "Jérada, en 2013,"), conclusions=["C1"],
        **RECOMMENDATION)], follow_up={"R2": FollowUp(state="non_mise_en_oeuvre")})
    [check] = [c for c in checked(dataset, mid, final).checks
               if c.kind == "recommandation-repetee"]
    assert (check.place, check.path) == ("R1", ("recommandations", 0))
    explained = final.model_copy(update={"follow_up": {"R2": FollowUp(
        state="non_mise_en_oeuvre", comment="Gel des recrutements décidé par la tutelle.")}})
    assert "recommandation-repetee:R1" not in ids(checked(dataset, mid, explained))


def test_a_finding_made_stale_by_new_data(dataset):
    # the team wrote when RI1.2 (agents) was 4 and RI2.3 had no 2010 value; the data now say 3
    seen = EvidenceSeen(date=dt.date(2013, 1, 15), values={PAIR: {"RI1.2": 4.0}},
                        missing={PAIR: {"RI2.3": [2010]}})
    item = Appraisal(who=PAIR, phase="final", seen=seen, questions={
        "QE4": Answer(findings=[findings("QE4", 2, suivi="Le service compte 4 agents en 2012.",
                                         entretiens="Confirmé par la cheffe.")]),
        "QE1": Answer(text="La donnée 2010 de RI2.3 manque, la tendance est incertaine."),
        "QE5": Answer(text="4 sessions de formation ont eu lieu.")})
    found = {c.id: c for c in checked(dataset, item).checks if c.kind == "constat-perime"}
    assert set(found) == {"constat-perime:QE4.2", "constat-perime:QE1"}
    assert "RI1.2 valait 4" in found["constat-perime:QE4.2"].message
    assert "maintenant 3" in found["constat-perime:QE4.2"].message
    assert found["constat-perime:QE4.2"].path == ("questions", "QE4", "constats")


def test_an_answered_check_is_no_longer_open(dataset):
    item = Appraisal(who=PAIR, phase="final", questions={"QE4": Answer(findings=[
        findings("QE4", 1, entretiens="Le président l'affirme.")])},
        answers={"triangulation:QE4.1": "Les archives ont brûlé en 2011 : seul l'entretien "
                                        "reste."})
    [check] = [c for c in checked(dataset, item).checks if c.kind == "triangulation"]
    assert not check.open and check.answer.startswith("Les archives")


def test_an_unwritten_appraisal_is_all_blanks_and_no_check(dataset):
    found = checked(dataset, Appraisal(who=PAIR, phase="final"))
    assert not found.checks
    places = {b.place for b in found.blanks}
    assert {"QE1", "QE1.1", "QE10.2", "RI7", "efficience", "conclusions", "recommandations",
            "lecons", "methode"} <= places
    assert not found.complete


def test_validate_says_each_open_check_at_its_line(data, tmp_path):
    from project_helpers import cli

    folder = tmp_path / "donnees"
    shutil.copytree(data, folder)
    item = Appraisal(who=PAIR, phase="final", questions={"QE4": Answer(
        score="A", text="Le service fonctionne.")})
    path = appraisal_path(folder, "final", PAIR)
    path.parent.mkdir(parents=True)
    path.write_text(dump_appraisal(item), encoding="utf-8")
    done = cli(paths.PROJ_ROOT, "validate", str(folder), check=False)
    assert done.returncode == 0, done.stdout + done.stderr  # checks are warnings
    line = next(n for n, text in enumerate(path.read_text("utf-8").splitlines(), 1)
                if text.strip().startswith("note: A"))
    assert f"{path}:{line}:QE4: avertissement" in done.stdout
    assert "ecart-proposition:QE4" in done.stdout
    assert "places à compléter par l'équipe d'évaluation" in done.stdout
