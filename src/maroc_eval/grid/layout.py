"""The layout of an evaluation grid: its sheets, their columns, and the kinds of cell.

One description serves the writer (:mod:`.writer`) and the reader (:mod:`.reader`), so that the
two never disagree on where a text stands. Every team sheet has the same frame: its title on
row 1 (which names the pair and the phase: an identity cell), a line of instructions on row 2,
the column headings on row :data:`HEADER_ROW`, and its rows from :data:`FIRST_ROW`.

Two kinds of sheet:

- *keyed* sheets (« Questions », « Réponses », « Résultats », « Critères CAD », « Suivi »,
  « Contrôles ») have one row per item of the matrix or of the store (a question × judgement
  criterion, a question, an RI…); the hidden metadata sheet says which row is which;
- *free* sheets (« Conclusions », « Recommandations », « Leçons », « Personnes rencontrées »,
  « Visites », « Documents ») have the team's entries, then blank rows to add more.

Bump :data:`LAYOUT_VERSION` whenever a sheet, a column or the metadata changes: a grid of
another layout version is refused at import (its cells would be read in the wrong places).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..base.i18n import N_
from ..core.rawtable import letter

FORMAT = "grille maroc-eval"
"""Cell A1 of the metadata sheet: what the workbook is."""
LAYOUT_VERSION = "1"
"""The layout of the sheets and of the metadata (see the module's docstring)."""
META_SHEET = "maroc-eval-grille"
LISTS_SHEET = "listes"
HEADER_ROW = 4
FIRST_ROW = HEADER_ROW + 1
TITLE_CELL = "A1"

# Kinds of column: what the cell holds, and whether the team writes it.
LOCKED = "locked"
"""Computed or copied by the toolkit; protected, never read back."""
TEXT = "text"
"""A team's text (several lines allowed)."""
GRADE = "grade"
"""A grade of the scale (list)."""
ACTOR, PRIORITY, STATE = "actor", "priority", "state"
"""A label of the matrix's « destinataires », « priorites », « etats_suivi » (lists)."""
DATE = "date"
"""A real date cell."""
CODES = "codes"
"""Codes separated by commas (QE1, QE4 ; QE4.2 ; C1 ; RI3)."""
IDENT = "id"
"""The identifier of a conclusion (C1) or a recommendation (R1)."""
LISTED = (GRADE, ACTOR, PRIORITY, STATE)


@dataclass(frozen=True)
class Column:
    """A column of a team sheet.

    Attributes
    ----------
    key : str
        Its name in the reader and the writer (the store's key where there is one).
    title : str
        Its heading (French source, translated when written).
    width : int
        Its width, in characters.
    kind : str
        :data:`LOCKED`, :data:`TEXT`, :data:`GRADE`… (see the module's constants).
    """

    key: str
    title: str
    width: int
    kind: str = TEXT

    @property
    def editable(self) -> bool:
        """Whether the team writes in it."""
        return self.kind != LOCKED


@dataclass(frozen=True)
class Sheet:
    """A team sheet: its role (the metadata's name for it), title, columns and rows.

    ``keyed``: one row per item, named in the metadata; otherwise free rows, with ``extra``
    blank rows after the team's entries.
    """

    role: str
    title: str
    columns: tuple[Column, ...]
    keyed: bool
    extra: int = 0
    freeze: str = "A"
    """The first column left free to scroll (``C``: columns A and B stay in view)."""

    def column(self, key: str) -> Column:
        """A column by its key."""
        return next(c for c in self.columns if c.key == key)

    def letter(self, key: str) -> str:
        """The column letter of a key (``A``, ``B``…)."""
        return letter(next(i for i, c in enumerate(self.columns) if c.key == key))

    @property
    def last_letter(self) -> str:
        """The letter of the sheet's last column."""
        return letter(len(self.columns) - 1)


SOURCE_TITLES = {
    "suivi": N_("Constats — données de suivi et budget"),
    "documents": N_("Constats — documents"),
    "entretiens": N_("Constats — entretiens"),
    "visites": N_("Constats — visites"),
}
"""The team's columns of the « Questions » sheet, one per kind of source."""

QUESTIONS = Sheet("questions", N_("Questions"), (
    Column("question", N_("Question"), 9, LOCKED),
    Column("texte_question", N_("Question d'évaluation"), 38, LOCKED),
    Column("critere", N_("N°"), 5, LOCKED),
    Column("texte_critere", N_("Critère de jugement"), 38, LOCKED),
    Column("indicateurs", N_("Indicateurs : base → cible ; valeur ; réalisation ; statut"), 52,
           LOCKED),
    Column("verification", N_("Vérification dans les données"), 36, LOCKED),
    Column("lacunes", N_("Données manquantes"), 22, LOCKED),
    *(Column(kind, title, 42) for kind, title in SOURCE_TITLES.items()),
    Column("references", N_("Références"), 30),
), keyed=True, freeze="E")

ANSWERS = Sheet("reponses", N_("Réponses"), (
    Column("question", N_("Question"), 9, LOCKED),
    Column("texte_question", N_("Question d'évaluation"), 40, LOCKED),
    Column("critere", N_("Critère"), 16, LOCKED),
    Column("proposition", N_("Note proposée"), 10, LOCKED),
    Column("base", N_("Comment la proposition est calculée"), 46, LOCKED),
    Column("reponse", N_("Réponse de l'équipe"), 62),
    Column("note", N_("Note"), 8, GRADE),
    Column("justification", N_("Justification (si la note s'écarte de la proposition)"), 46),
), keyed=True, freeze="C")

RESULTS = Sheet("resultats", N_("Résultats"), (
    Column("ri", N_("RI"), 7, LOCKED),
    Column("titre", N_("Résultat intermédiaire"), 40, LOCKED),
    Column("indice", N_("Indice"), 10, LOCKED),
    Column("couverture", N_("Indicateurs renseignés"), 12, LOCKED),
    Column("statut", N_("Statut"), 16, LOCKED),
    Column("proposition", N_("Note proposée"), 10, LOCKED),
    Column("base", N_("Comment la proposition est calculée"), 44, LOCKED),
    Column("note", N_("Note"), 8, GRADE),
    Column("appreciation", N_("Appréciation de l'équipe"), 56),
    Column("justification", N_("Justification (si la note s'écarte de la proposition)"), 44),
), keyed=True, freeze="C")

CRITERIA = Sheet("criteres", N_("Critères CAD"), (
    Column("critere", N_("Critère du CAD"), 16, LOCKED),
    Column("questions", N_("Ses questions et leurs notes (à l'écriture de la grille)"), 40,
           LOCKED),
    Column("proposition", N_("Note proposée"), 10, LOCKED),
    Column("base", N_("Comment la proposition est calculée"), 40, LOCKED),
    Column("note", N_("Note"), 8, GRADE),
    Column("appreciation", N_("Appréciation de l'équipe"), 56),
    Column("justification", N_("Justification (si la note s'écarte de la proposition)"), 44),
), keyed=True, freeze="B")

CONCLUSIONS = Sheet("conclusions", N_("Conclusions"), (
    Column("id", N_("N°"), 7, IDENT),
    Column("texte", N_("Conclusion"), 72),
    Column("questions", N_("Questions (QE1, QE4…)"), 18, CODES),
    Column("constats", N_("Constats (QE4.2…)"), 22, CODES),
), keyed=False, extra=15, freeze="B")

RECOMMENDATIONS = Sheet("recommandations", N_("Recommandations"), (
    Column("id", N_("N°"), 7, IDENT),
    Column("action", N_("Action recommandée (qui fait quoi, pourquoi)"), 60),
    Column("destinataire", N_("Destinataire"), 32, ACTOR),
    Column("priorite", N_("Priorité"), 12, PRIORITY),
    Column("echeance", N_("Échéance"), 13, DATE),
    Column("conclusions", N_("Conclusions (C1…)"), 15, CODES),
    Column("resultats", N_("RI concernés (RI1…)"), 15, CODES),
), keyed=False, extra=15, freeze="B")

LESSONS = Sheet("lecons", N_("Leçons"), (
    Column("lecon", N_("Leçon apprise"), 110),
), keyed=False, extra=15)

FOLLOW_UP = Sheet("suivi", N_("Suivi"), (
    Column("recommandation", N_("Recommandation"), 9, LOCKED),
    Column("action", N_("Recommandation de l'évaluation précédente"), 52, LOCKED),
    Column("destinataire", N_("Destinataire"), 26, LOCKED),
    Column("echeance", N_("Échéance"), 13, LOCKED),
    Column("etat", N_("État de mise en œuvre"), 26, STATE),
    Column("commentaire", N_("Commentaire (pourquoi, ce qui reste à faire)"), 60),
), keyed=True, freeze="C")

PEOPLE = Sheet("entretiens", N_("Personnes rencontrées"), (
    Column("fonction", N_("Fonction"), 44),
    Column("institution", N_("Institution"), 44),
    Column("date", N_("Date"), 13, DATE),
), keyed=False, extra=40)

VISITS = Sheet("visites", N_("Visites"), (
    Column("lieu", N_("Lieu visité"), 70),
    Column("date", N_("Date"), 13, DATE),
), keyed=False, extra=20)

DOCUMENTS = Sheet("documents", N_("Documents"), (
    Column("document", N_("Document consulté"), 110),
), keyed=False, extra=30)

CHECKS = Sheet("controles", N_("Contrôles"), (
    Column("controle", N_("Contrôle"), 30, LOCKED),
    Column("ou", N_("Où"), 24, LOCKED),
    Column("message", N_("Ce que l'outil a trouvé"), 70, LOCKED),
    Column("reponse", N_("Réponse de l'équipe"), 60),
), keyed=True, freeze="B")

SHEETS = (QUESTIONS, ANSWERS, RESULTS, CRITERIA, CONCLUSIONS, RECOMMENDATIONS, LESSONS,
          FOLLOW_UP, PEOPLE, VISITS, DOCUMENTS, CHECKS)
"""The team sheets, in the workbook's order (after « Lisez-moi »)."""
SHEET_MAP = {s.role: s for s in SHEETS}
README_ROLE = "lisez-moi"
README_TITLE = N_("Lisez-moi")

ID_PATTERNS = {"conclusions": re.compile(r"^C\d+$"), "recommandations": re.compile(r"^R\d+$")}
"""The identifiers of the free sheets that have some."""


def grid_name(phase: str, who: str) -> str:
    """``grille-final-forest-jerada.xlsx``."""
    return f"grille-{phase}-{who}.xlsx"
