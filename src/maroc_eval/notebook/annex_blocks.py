"""The method and the annexes of an evaluation: what the team did (documents, interviews,
visits), the evaluation matrix, the rubric the proposals follow, the checks and the team's answers
to them, the acronyms.
"""

from __future__ import annotations

from ..base import fmt
from ..base.i18n import N_, _
from ..core.appraisal import Appraisal
from ..core.checks import KINDS
from ..core.matrix import EvaluationMatrix
from ..core.review import Review
from ..core.setting_registry import SETTINGS
from . import tables
from .appraisal_blocks import criterion_label, source_label
from .tables import Html

METHOD_WORDS = {
    "realisation": N_("réalisation des indicateurs de la question, avec les seuils du "
                      "partenariat : A si chaque indicateur renseigné atteint « en bonne voie » "
                      "et qu’aucun critère vérifiable n’est manqué ; B si l’indice atteint « en "
                      "bonne voie » ; C s’il atteint « en retard » ; D en dessous ; un critère "
                      "vérifiable non satisfait plafonne la proposition à B"),
    "couts": N_("résultats obtenus par euro, comparés aux autres partenariats : la médiane des "
                "rapports entre les coûts du partenariat (coûts unitaires et coût par point de "
                "réalisation) et la médiane des partenariats ; le taux d’exécution du budget est "
                "un élément de contexte, pas de notation"),
    "criteres": N_("les seuls critères de jugement vérifiables dans les données : A s’ils sont "
                   "tous satisfaits, B si la moitié au moins l’est, C si l’un l’est, D sinon ; "
                   "la note de l’équipe repose d’abord sur ses constats (documents, entretiens, "
                   "visites)"),
}
"""How each method proposes a grade, in words (French source)."""


def method_block(matrix: EvaluationMatrix, item: Appraisal, label: str, phase: str) -> Html:
    """The terms of reference, the calendar, then what the team actually did: documents,
    interviews, visits — and what it did not."""
    m = item.method
    calendar = matrix.calendar.get(phase)
    facts = [(_("Commanditaire"), matrix.commissioner_label()),
             (_("Équipe"), matrix.team_label())]
    if calendar is not None and calendar.mission_start and calendar.mission_end:
        facts.append((_("Mission de terrain"), _("du {start} au {end}").format(
            start=fmt.long_date(calendar.mission_start), end=fmt.long_date(calendar.mission_end))))
    facts += [(_("Questions d’évaluation"), _("{questions} (matrice en annexe)").format(
                  questions=fmt.count(len(matrix.questions), _("question"), _("questions"),
                                      feminine=True))),
              (_("Documents examinés"), fmt.count(len(m.documents), _("document"),
                                                  _("documents"))),
              (_("Entretiens"), fmt.count(len(m.interviews), _("entretien"), _("entretiens"))),
              (_("Visites de terrain"), fmt.count(len(m.visits), _("visite"), _("visites"),
                                                     feminine=True))]
    limits = []
    if m.empty:
        return tables.concat(tables.key_values(facts), tables.to_complete(
            _("la méthode suivie : documents examinés, entretiens, visites")))
    if not m.interviews:
        limits.append(_("Aucun entretien n’a été mené pour {who} : les constats reposent sur les "
                        "données de suivi et les documents.").format(who=label))
    if not m.visits:
        limits.append(_("Aucune visite de terrain pour {who} : l’état des équipements n’a pas "
                        "été constaté sur place.").format(who=label))
    if not m.documents:
        limits.append(_("Aucun document n’a été examiné pour {who}.").format(who=label))
    terms = matrix.terms.get(phase)
    return tables.concat(
        tables.paragraphs(_("Termes de référence : {terms}").format(
            terms=fmt.after_colon(terms))) if terms else tables.notice(
            _("Les termes de référence de cette phase ne sont pas résumés dans la matrice "
              "d’évaluation."), "attention"),
        tables.key_values(facts),
        tables.bullets(limits, title=_("Limites propres à la collecte"),
                       empty=_("Documents, entretiens et visites ont été réalisés.")))


def _sources(matrix: EvaluationMatrix, codes: list[str]) -> str:
    """« Données de suivi, documents, entretiens »: the short names, described under the matrix."""
    names = [source_label(matrix, c) for c in codes]
    return ", ".join(names[:1] + [n[:1].lower() + n[1:] for n in names[1:]])


def matrix_annex(programme, matrix: EvaluationMatrix) -> Html:
    """The evaluation matrix as a table, verifiable criteria marked, each source named short in
    the table and described once under it."""
    rows = []
    for q in matrix.questions:
        criteria = " ; ".join(
            f"{n}. {c.text.rstrip(' .')}" + (_(" (vérifiable)") if c.verifiable else "")
            for n, c in enumerate(q.judgement_criteria, start=1))
        rows.append([q.code, criterion_label(programme, q.criterion), q.text, criteria,
                     ", ".join(q.indicators),
                     _sources(matrix, q.sources)])
    used = dict.fromkeys(s for q in matrix.questions for s in q.sources)
    return tables.concat(
        tables.table([_("QE"), _("Critère"), _("Question"), _("Critères de jugement"),
                      _("Indicateurs"), _("Sources")], rows, caption=_("Matrice d’évaluation")),
        tables.heading(_("Sources de la matrice"), 3),
        tables.key_values((source_label(matrix, s), matrix.sources[s]) for s in used))


def rubric_annex(programme, matrix: EvaluationMatrix, thresholds) -> Html:
    """The rubric: what each grade means, how the toolkit proposes one per criterion, with the
    thresholds and cut-offs used; a proposal is never a grade."""
    rubric = matrix.rubric
    meanings = [[r.code, r.label, rubric.grades.get(r.code, "—")] for r in programme.scale]
    codes = ["objectif", *(c.code for c in programme.criteria)]
    methods = [[", ".join(criterion_label(programme, c) for c in codes
                          if rubric.method(c) == method), _(words)]
               for method, words in METHOD_WORDS.items()
               if any(rubric.method(c) == method for c in codes)]
    cut = rubric.cost_cutoffs
    facts = [(_("Seuil « largement atteint »") if thresholds.summative
              else _(SETTINGS["threshold_on_track"].label),
              fmt.achievement(thresholds.threshold_on_track)),
             (_(SETTINGS["threshold_late"].label), fmt.achievement(thresholds.threshold_late)),
             (_("Couverture minimale pour proposer une note"),
              fmt.achievement(rubric.min_coverage)),
             (_("Efficience : rapports à la médiane"), " ; ".join(
                 f"{code} ≤ {fmt.number(value, 2)}" for code, value in cut.items()))]
    return tables.concat(
        tables.table([_("Note"), _("Libellé"), _("Sens")], meanings,
                     caption=_("Échelle des notes")),
        tables.paragraphs(_("Pour chaque question, l’outil propose une note selon la méthode "
                            "de son critère ; l’équipe retient sa propre note et écrit pourquoi "
                            "lorsqu’elle s’écarte de la proposition. La note d’un critère du "
                            "CAD est proposée comme la médiane des notes de ses questions.")),
        tables.table([_("Critères"), _("Comment la note est proposée")], methods,
                     caption=_("Méthodes de proposition")),
        tables.key_values(facts))


def checks_block(found: Review) -> Html:
    """The toolkit's checks on the team's appraisal, with the team's answers, and the places
    still « à compléter » (a version with any of them open cannot be signed)."""
    rows = [[c.place, _(KINDS[c.kind]), c.message,
             c.answer if c.answer else tables.Cell(_("Ouvert : à corriger ou à justifier avant "
                                                     "la signature"), cls="me-a-completer")]
            for c in found.checks]
    parts = [tables.table([_("Objet"), _("Contrôle"), _("Constat de l’outil"),
                           _("Réponse de l’équipe")], rows,
                          caption=_("Contrôles de cohérence et réponses de l’équipe"))
             if rows else tables.paragraphs(_("Aucun contrôle ne signale d’incohérence entre les "
                                              "appréciations de l’équipe et les preuves."))]
    if found.blanks:
        parts.append(tables.bullets([b.what for b in found.blanks],
                                    title=_("Places encore à compléter par l’équipe")))
    return tables.concat(*parts)


def people_annex(item: Appraisal) -> Html:
    """The people met (by function and institution) and the places visited."""
    people = [[i.role, i.institution, fmt.long_date(i.date) if i.date else "—"]
              for i in item.method.interviews]
    visits = [[v.place, fmt.long_date(v.date) if v.date else "—"] for v in item.method.visits]
    return tables.concat(
        tables.table([_("Fonction"), _("Institution"), _("Date")], people,
                     caption=_("Personnes rencontrées"))
        if people else tables.to_complete(_("les personnes rencontrées")),
        tables.table([_("Lieu"), _("Date")], visits, caption=_("Visites de terrain"))
        if visits else tables.notice(_("Aucune visite de terrain."), "info"))


def documents_annex(item: Appraisal) -> Html:
    """The documents consulted."""
    if not item.method.documents:
        return tables.to_complete(_("les documents consultés"))
    return tables.bullets([item.text(d) for d in item.method.documents])


def acronyms_annex(matrix: EvaluationMatrix) -> Html:
    """The acronyms of the report."""
    return tables.table([_("Sigle"), _("Signification")], sorted(matrix.acronyms.items()),
                        caption=_("Sigles et acronymes"))
