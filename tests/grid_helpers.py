"""Shared helpers of the grid tests (``tests/grid``): a data folder of the sample's data with a
store of the team's appraisals, a rich appraisal, filling a grid as an evaluator would, and the
real command line."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl

from maroc_eval.base import paths
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
from maroc_eval.core.appraisal_store import appraisal_path, dump_appraisal

PAIR = "forest-jerada"
LONG = ("Le service d'action sociale de Jérada tient ses registres à la main. " * 80)[:5000]
"""A 5 000-character finding."""
ENGLISH = {"Le service fonctionne mais manque de personnel.":
           "The service works but lacks staff.",
           "Stabiliser l'équipe du service social avant 2014, car les agents formés partent.":
           "Stabilise the social service's team before 2014, as trained staff leave."}


def data_folder(folder: Path) -> Path:
    """A data folder with the sample's monitoring data, budget and ``donnees.yml`` (no store)."""
    folder.mkdir(parents=True)
    for name in ("suivi.csv", "budget.csv", "donnees.yml"):
        shutil.copyfile(paths.SAMPLE_DIR / name, folder / name)
    return folder


def store(data: Path, item: Appraisal) -> Path:
    """Write an appraisal into the data folder's store; returns its file."""
    path = appraisal_path(data, item.phase, item.who)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_appraisal(item), encoding="utf-8")
    return path


def midterm_appraisal(who: str = PAIR) -> Appraisal:
    """A mid-term appraisal with two recommendations (followed up at the final phase)."""
    return Appraisal(who=who, phase="midterm", recommendations=[
        Recommendation(id="R1", text="Que la commune inscrive au budget 2011 deux postes "
                       "permanents au service social, pour garder les agents formés.",
                       addressee="commune_marocaine", priority="haute",
                       deadline=dt.date(2011, 12, 31), conclusions=[]),
        Recommendation(id="R2", text="Que le binôme organise un échange d'agents en 2011 pour "
                       "former les nouveaux venus à l'ingénierie sociale.",
                       addressee="binome", priority="moyenne", deadline=dt.date(2011, 6, 30))])


def rich_appraisal(who: str = PAIR) -> Appraisal:
    """A final appraisal using every part of the store: empty fields, multi-line texts, texts
    beginning with = + - @, accents, a 5 000-character text, English versions."""
    return Appraisal(
        who=who, phase="final",
        questions={
            "QE1": Answer(findings=[
                Findings(question="QE1", criterion=1, texts={
                    "suivi": "=SOMME(A1:A3) n'est pas une formule : c'est le texte de l'équipe.",
                    "entretiens": "Le service fonctionne mais manque de personnel."},
                    references="Entretiens 3 et 7 ; PV du 14/03/2012"),
                Findings(question="QE1", criterion=3, texts={
                    "documents": "+33 % de dossiers traités\nsur deux lignes,\net une troisième.",
                    "visites": LONG}),
            ], text="Réponse : capacités en partie renforcées.\n\n— Deuxième paragraphe.",
                score="C", justification="@équipe : l'indice est juste sous le seuil."),
            "QE4": Answer(findings=[Findings(question="QE4", criterion=2, texts={
                "suivi": "-12 % d'équipement hors service, selon le registre.",
                "visites": "Çà et là, des bureaux équipés ; « œuvre » en cours."})],
                score="B"),
            "QE8": Answer(text="Coûts proches de la médiane.", score="B",
                          justification=""),
        },
        results={"RI1": Grade(score="C", text="Le service existe ; il n'est pas au budget.",
                              justification="Les postes ne sont pas pérennes."),
                 "RI7": Grade(score="B")},
        criteria={"efficience": Grade(score="B", text="Coûts dans la moyenne."),
                  "pertinence": Grade(text="Répond au diagnostic de 2008.")},
        conclusions=[
            Conclusion(id="C1", text="Le service est fragile : ses agents formés partent.",
                       questions=["QE1", "QE4"], findings=["QE1.1", "QE4.2"]),
            Conclusion(id="C3", text="=Le binôme est solide (ce texte commence par =).",
                       questions=["QE3"], findings=[]),
        ],
        recommendations=[
            Recommendation(id="R1", text="Stabiliser l'équipe du service social avant 2014, car "
                           "les agents formés partent.", addressee="commune_marocaine",
                           priority="haute", deadline=dt.date(2013, 12, 31),
                           conclusions=["C1"], results=["RI1", "RI3"]),
            Recommendation(id="R4", text="Que la coordination publie un guide des coûts "
                           "unitaires pour les futurs binômes.", addressee="programme",
                           priority="basse", deadline=dt.date(2014, 6, 30), conclusions=[],
                           results=[]),
        ],
        lessons=["Un service sans poste au budget ne survit pas au départ de ses agents.",
                 "Deux lignes :\nla seconde ici."],
        follow_up={"R1": FollowUp(state="partielle", comment="Un poste sur deux créé."),
                   "R2": FollowUp(state="mise_en_oeuvre")},
        method=Method(documents=["PV du conseil communal 2012", "Rapport annuel 2011"],
                      interviews=[Interview(role="Président de la commune",
                                            institution="Commune de Jérada",
                                            date=dt.date(2012, 11, 14)),
                                  Interview(role="Agente du service social",
                                            institution="")],
                      visits=[Visit(place="Centre social du quartier Hay Al Qods")]),
        answers={"triangulation:QE4.2": "Les visites confirment le registre.",
                 "ecart-proposition:QE99": "Une réponse à un contrôle qui ne se déclenche plus."},
        seen=EvidenceSeen(date=dt.date(2013, 1, 15), values={PAIR: {"RI1.1": 2.0}},
                          missing={PAIR: {"RI2.3": [2009]}}),
        english=dict(ENGLISH),
    )


def cli(*args, check: bool = False, env: dict | None = None) -> subprocess.CompletedProcess:
    """The real command line, ``.venv/bin/maroc-eval ARGS``, in a subprocess."""
    exe = Path(sys.executable).with_name("maroc-eval")
    done = subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True,
                          timeout=600, check=False, env={**os.environ, **(env or {})})
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def row_of(ws, first: object, *, column: str | None = None, value: object = None) -> int:
    """The row whose column A holds ``first`` (and ``column`` holds ``value``, if given):
    ``row_of(ws, "QE4", column="C", value=2)`` in « Questions »."""
    for r in range(5, ws.max_row + 1):
        if ws[f"A{r}"].value == first and (column is None or ws[f"{column}{r}"].value == value):
            return r
    raise AssertionError(f"no row {first} {value} in {ws.title}")


def fill(path: Path, edits: dict[tuple[str, str], object]) -> None:
    """Type values into a grid as an evaluator would (``(sheet, "G7") → value``) and save."""
    wb = openpyxl.load_workbook(path)
    for (sheet, ref), value in edits.items():
        wb[sheet][ref].value = value
    wb.save(path)
