"""The « Lisez-moi » sheet of a grid: who fills what and how, the rubric, the colour legend.

It names the pair (or the programme), the phase, its reference year and the evaluation's own
dates (the matrix's « calendrier »), and carries the « Données fictives » notice when the data
folder says so. Its first lines are identity cells: the importer checks them.
"""

from __future__ import annotations

from ..base import fmt
from ..base.i18n import N_, _
from ..core.checks import KINDS
from ..core.matrix import OBJECTIVE, EvaluationMatrix
from ..core.programme import Programme
from . import layout as L
from .cells import put, styles
from .context import GridContext

SHEET_PURPOSES = {
    "questions": N_("une ligne par question et critère de jugement : les éléments de preuve "
                    "calculés (gris), puis vos constats par sorte de source et leurs références"),
    "reponses": N_("une ligne par question : la note proposée et son calcul, puis votre "
                   "réponse, votre note et, si elle s'écarte de la proposition, pourquoi"),
    "resultats": N_("une ligne par résultat intermédiaire : indice, statut, proposition, puis "
                    "votre note, votre appréciation et votre justification"),
    "criteres": N_("une ligne par critère du CAD : les notes de ses questions, la proposition "
                   "(leur médiane), puis votre note, appréciation et justification"),
    "conclusions": N_("vos conclusions, chacune avec les questions et les constats (QE4.2…) "
                      "sur lesquels elle repose"),
    "recommandations": N_("vos recommandations : qui fait quoi, pourquoi, avec quelle priorité, "
                          "pour quand, et les conclusions dont elles découlent"),
    "lecons": N_("les leçons apprises, une par ligne"),
    "suivi": N_("ce que sont devenues les recommandations de l'évaluation précédente"),
    "entretiens": N_("la fonction, l'institution et la date de chaque entretien"),
    "visites": N_("les lieux visités et la date"),
    "documents": N_("les documents consultés, un par ligne"),
    "controles": N_("les contrôles de l'outil sur votre texte : corrigez-en la cause ou "
                    "répondez-y"),
}

METHOD_TEXTS = {
    "realisation": N_("réalisation des indicateurs, avec les seuils du partenariat : A si "
                      "chaque indicateur renseigné atteint le seuil « en bonne voie » et "
                      "qu'aucun critère vérifiable n'est insatisfait ; B si l'indice (moyenne "
                      "des réalisations plafonnées) atteint « en bonne voie » ; C s'il atteint "
                      "« en retard » ; D en dessous. Un critère vérifiable non satisfait limite "
                      "la proposition à B. Sous {coverage} d'indicateurs renseignés, aucune "
                      "proposition."),
    "couts": N_("résultats obtenus par euro, comparés aux autres partenariats : chaque coût "
                "unitaire et le coût par point de réalisation sont divisés par la médiane des "
                "partenariats ; la médiane de ces rapports propose A jusqu'à {a}, B jusqu'à "
                "{b}, C jusqu'à {c}, D au-delà. Moins de deux coûts comparables : non "
                "appréciable. Le taux d'exécution du budget est un contexte, jamais la note."),
    "criteres": N_("les seuls critères de jugement vérifiables dans les données : A s'ils sont "
                   "tous satisfaits, B si au moins la moitié, C si certains, D si aucun ; sans "
                   "critère vérifiable, pas de proposition. Ces critères se jugent surtout sur "
                   "vos constats des documents, des entretiens et des visites."),
}


def who_label(programme: Programme, who: str) -> str:
    """« Forest – Jérada », or « Programme (synthèse des partenariats) »."""
    pair = programme.pair_map.get(who)
    return pair.label if pair else _("Programme (synthèse des partenariats)")


def identity_title(programme: Programme, phase: str, who: str, sheet_title: str) -> str:
    """The first line of a team sheet, which says whose grid it is."""
    ph = programme.phases[phase]
    return _("{sheet} — {who} — {phase} ({year})").format(
        sheet=sheet_title, who=who_label(programme, who), phase=ph.label, year=ph.year)


def write_readme(ws, ctx: GridContext, programme: Programme, matrix: EvaluationMatrix,
                 sheets: list[L.Sheet]) -> list[str]:
    """Fill the « Lisez-moi » sheet; returns its identity cells (``A1``, ``A2``…)."""
    st = styles()
    ph = programme.phases[ctx.phase]
    lines: list[tuple[str, object]] = [
        (_("Grille d'évaluation de l'équipe — {who} — {phase} ({year})").format(
            who=who_label(programme, ctx.who), phase=ph.label, year=ph.year), st["title"]),
        (_("Partenariat : {who} (code {code})").format(who=who_label(programme, ctx.who),
                                                       code=ctx.who), st["bold"]),
        (_("Évaluation : {phase}, situation au 31/12/{year} (année de référence {year} : les "
           "données des années suivantes ne sont pas montrées)").format(phase=ph.label,
                                                                       year=ph.year),
         st["bold"]),
    ]
    identity = ["A1", "A2", "A3"]
    cal = matrix.calendar.get(ctx.phase)
    if cal is not None:
        mission = (_("mission de terrain du {start} au {end} ; ").format(
            start=fmt.long_date(cal.mission_start), end=fmt.long_date(cal.mission_end))
            if cal.mission_start and cal.mission_end else "")
        lines.append((_("Calendrier : {mission}remise du rapport le {delivery}").format(
            mission=mission, delivery=fmt.long_date(cal.delivery)), None))
    lines.append((_("Commanditaire : {who}").format(who=matrix.commissioner_label()), None))
    lines.append((_("Équipe d'évaluation : {team}").format(
        team=matrix.team_label()), None))
    info = ctx.view.info
    if info.fictitious:
        lines.append((_("Données fictives : {text}").format(
            text=info.description or _("ce dossier de données le déclare.")), st["bold"]))
    lines += [("", None), (_("Qui remplit quoi"), st["bold"]), (_(
        "L'équipe d'évaluation écrit tout ce qui est jugement : les constats par critère de "
        "jugement et par sorte de source, les réponses, les notes et leurs justifications, les "
        "conclusions, les recommandations, les leçons, le suivi des recommandations précédentes, "
        "la méthode (personnes rencontrées, visites, documents) et les réponses aux contrôles. "
        "L'outil n'apporte que les éléments de preuve calculés et une note proposée, que "
        "l'équipe accepte ou dont elle s'écarte en écrivant pourquoi. Une cellule laissée vide "
        "reste « à compléter » dans le rapport."), None),
        ("", None), (_("Comment remplir"), st["bold"])]
    for text in (
            _("• Écrivez dans les cellules jaunes ; les cellules grises sont calculées et "
              "verrouillées."),
            _("• Un texte par cellule ; plusieurs paragraphes possibles (Alt+Entrée, ou "
              "Ctrl+Entrée dans LibreOffice)."),
            _("• Notes, destinataires, priorités et états : choisissez dans la liste de la "
              "cellule. Échéances et dates : une date (JJ/MM/AAAA)."),
            _("• Références croisées : des codes séparés par des virgules — questions QE1, "
              "QE4 ; constats QE4.2 (question 4, critère 2) ; conclusions C1 ; RI3."),
            _("• Une ligne vide est ignorée. Pour ajouter des lignes au-delà des lignes jaunes, "
              "importez la grille puis demandez-en une nouvelle (maroc-eval grille) : ce qui "
              "est écrit sous la dernière ligne n'est pas lu."),
            _("• Ne renommez, ne déplacez et ne triez ni feuilles ni lignes ; ne fusionnez pas "
              "de cellules ; ne touchez pas aux cellules grises."),
            _("• Un texte qui commence par = se tape précédé d'une apostrophe (sinon le tableur "
              "en fait une formule)."),
            _("• Retour : maroc-eval importer-grille FICHIER liste chaque erreur à sa cellule et "
              "ce que vous avez changé depuis le dernier import ; avec --appliquer, le texte "
              "est enregistré dans le dossier de données.")):
        lines.append((text, None))
    lines += [("", None), (_("Les feuilles"), st["bold"])]
    for sheet in sheets:
        lines.append((f"• {_(sheet.title)} : {_(SHEET_PURPOSES[sheet.role])}", None))
    lines += [("", None), (_("Le barème"), st["bold"])]
    for rating in programme.scale:
        meaning = _(matrix.rubric.grades.get(rating.code, ""))
        lines.append((f"{rating.code} — {rating.label} : {meaning}", None))
    lines += [("", None), (_("Comment la note proposée est calculée"), st["bold"]), (_(
        "Une proposition n'est jamais une note : c'est un point de départ, calculé sur les "
        "données de la phase ; la note est la vôtre."), None)]
    cut = matrix.rubric.cost_cutoffs
    values = {"coverage": fmt.percent(matrix.rubric.min_coverage, 0, ratio=True),
              "a": fmt.number(cut.get("A"), 2), "b": fmt.number(cut.get("B"), 2),
              "c": fmt.number(cut.get("C"), 2)}
    labels = {OBJECTIVE: _("Objectif spécifique"),
              **{c.code: c.label for c in programme.criteria}}
    for code, label in labels.items():
        method = matrix.rubric.method(code)
        lines.append((f"• {label} : {_(METHOD_TEXTS[method]).format(**values)}", None))
    lines.append((_("• Un critère du CAD : la médiane des notes de ses questions (votre note "
                    "quand vous l'avez donnée, sinon la proposition), arrondie vers la note la "
                    "plus basse."), None))
    lines.append((_("• Un résultat intermédiaire : comme l'objectif (réalisation de ses "
                    "indicateurs)."), None))
    lines += [("", None), (_("Les contrôles"), st["bold"]), (_(
        "L'outil vérifie votre texte et le signale dans la feuille « Contrôles » ; avant la "
        "signature, chaque contrôle est corrigé ou reçoit une réponse :"), None)]
    lines += [(f"• {kind} : {_(text)}", None) for kind, text in KINDS.items()]
    lines += [("", None), (_("Légende des couleurs"), st["bold"])]
    for text, fill in ((_("à remplir par l'équipe d'évaluation"), st["input"]),
                       (_("calculé par l'outil, verrouillé"), st["locked"]),
                       (_("en-têtes"), st["header"])):
        lines.append((text, fill))
    for row, (text, style) in enumerate(lines, start=1):
        cell = ws.cell(row, 1)
        put(cell, text or None)
        cell.alignment = st["wrap"]
        if style is not None and hasattr(style, "fill_type"):
            cell.fill = style
        elif style is not None:
            cell.font = style
    ws.column_dimensions["A"].width = 130
    return identity
