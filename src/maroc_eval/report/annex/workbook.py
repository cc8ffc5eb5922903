"""The Excel annex of a pair report, sheet by sheet.

« Lisez-moi » (what, when, from which data, the fictitious-data notice), « Cadre logique » (one
row per indicator with its status), one « RIn séries » sheet per RI (the pair's yearly values
and, for comparison, the other pairs'), « Appréciations » (the team's grades and answers
beside the proposals), « Conclusions » and « Recommandations » (with columns for their
follow-up). Every table
has a frozen header, a filter and set column widths; figures carry the number format of their
measure (:func:`~maroc_eval.report.annex.cells.measured`). Sheet names, headers and texts are
French catalogue messages, written in the language spoken (:mod:`maroc_eval.base.i18n`).
"""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from ... import __version__
from ...base import typography
from ...base.i18n import N_, _
from ...base.sheetcells import write
from ...base.status import STATUS_LABELS
from ...core import series
from .cells import PERCENT, TEXT, Column, heading, measured, table
from .content import AnnexContent, shown_path

HEADER_ROW = 4
"""Row of every table's header (rows 1–2: the sheet's title and note)."""
STATUS_FILLS = {"atteint": "7FCEB9", "en_bonne_voie": "AAD8F2", "en_retard": "F2CF80",
                "critique": "EAAF80", "largement_atteint": "AAD8F2",
                "partiellement_atteint": "F2CF80", "non_atteint": "EAAF80",
                "non_renseigne": "DDDDDD"}
SHEETS = {"readme": N_("Lisez-moi"), "logframe": N_("Cadre logique"),
          "judgements": N_("Appréciations"), "conclusions": N_("Conclusions"),
          "recommendations": N_("Recommandations")}
"""The sheets' French names (catalogue messages: the workbook has ``_(SHEETS[…])``)."""
PER = 10000


def series_sheet_name(ri: str) -> str:
    """The name of an RI's sheet of yearly series (« RI3 séries »)."""
    return _("{ri} séries").format(ri=ri)


def _status(code: str) -> str:
    return _(STATUS_LABELS[code]) if code in STATUS_LABELS else code


def readme(ws, c: AnnexContent, title: str) -> None:
    """What the workbook holds, when and from what it was produced."""
    programme = c.programme
    pair, phase = programme.pair_map[c.pair], programme.phases[c.phase]
    heading(ws, title, _("Annexe du rapport d’évaluation — {programme}").format(
        programme=programme.name))
    rows = []
    fictitious = _("Données fictives")
    if c.fictitious:
        rows.append((fictitious, _("Ces données sont fictives : échantillon de démonstration, "
                                   "elles ne décrivent aucune commune réelle.")))
    rows += [
        (_("Partenariat"), pair.label),
        (_("Phase"), _("{phase} — année de référence {year}").format(phase=phase.label,
                                                                     year=phase.year)),
        (_("Années couvertes"), _("{baseline} (base) à {year} : aucune donnée postérieure à "
                                  "l’année de référence").format(baseline=c.baseline_year,
                                                                 year=c.year)),
        (_("Produit le"), typography.when(c.built)),
        (_("Produit par"), f"maroc-eval {__version__}"),
        (_("Dossier de données"), shown_path(c.data_dir)),
    ]
    if c.missing_data:
        rows.append((_("Séries annuelles"), _("indisponibles : {why}").format(
            why=c.missing_data)))
    rows += [
        (_(SHEETS["logframe"]), _("Une ligne par indicateur : base, cible et valeur de l’année "
                                  "de référence, réalisation et statut.")),
        (_("RIn séries"), _("Une feuille par résultat intermédiaire : valeur de chaque année, "
                            "pour ce partenariat puis, pour comparaison, les autres ; les "
                            "indicateurs comparés par habitant ont aussi leurs lignes pour "
                            "10 000 habitants.")),
        (_(SHEETS["judgements"]), _("Notes et constats des évaluateurs, par RI et critère du "
                                    "CAD.")),
        (_(SHEETS["recommendations"]), _("Recommandations des évaluateurs, numérotées, par "
                                         "RI.")),
        (_("Réalisation"), _("(valeur − base) / (cible − base), dans le sens de l’indicateur ; "
                             "« brute » non plafonnée.")),
        (_("Formats"), _("nombres entiers sans décimale ; pourcentages en % ; oui/non en "
                         "toutes lettres ; stades avec leur libellé (la cellule garde le numéro "
                         "du stade).")),
    ]
    for r, (key, value) in enumerate(rows, start=HEADER_ROW):
        write(ws, r, 1, key).font = Font(bold=True)
        cell = write(ws, r, 2, value)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if key == fictitious and c.fictitious:
            for col in (1, 2):
                ws.cell(row=r, column=col).fill = PatternFill("solid", fgColor="F8D7DA")
                ws.cell(row=r, column=col).font = Font(bold=True, color="8B0000")
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 100
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4


LOGFRAME = [Column(N_("RI"), 6), Column(N_("Code"), 8), Column(N_("Indicateur"), 50, True),
            Column(N_("Unité"), 14), Column(N_("Sens"), 8), Column(N_("Base {year}"), 12),
            Column(N_("Cible {year}"), 12), Column(N_("Valeur {year}"), 12),
            Column(N_("Réalisation brute"), 12), Column(N_("Réalisation"), 12),
            Column(N_("Statut"), 20), Column(N_("Années manquantes"), 18)]
"""The logframe sheet's columns (French titles, translated when written; ``{year}``: the
baseline year for the baseline, the reference year for target and value)."""


def logframe(ws, c: AnnexContent) -> None:
    """One row per indicator of the available RIs, its status cell coloured."""
    heading(ws, _("Cadre logique — {pair} — {phase}").format(
                pair=c.programme.pair_map[c.pair].label, phase=c.programme.phases[c.phase].label),
            _("Base {baseline} ; cible et valeur {year} ; réalisation = (valeur − base) / "
              "(cible − base).").format(baseline=c.baseline_year, year=c.year))
    columns = [Column(_(col.title).format(year=c.baseline_year if col.title == "Base {year}"
                                          else c.year), col.width, col.wrap)
               for col in LOGFRAME]
    rows, formats, statuses = [], [], []
    for ri, result in c.results.items():
        if result is None:
            continue
        for row in result.indicators:
            ind = c.programme.indicator_map.get(row.code)
            measure, levels = (ind.measure, ind.levels) if ind else (None, None)
            figures = [measured(v, measure, levels)
                       for v in (row.baseline, row.target, row.actual)]
            rows.append([ri, row.code, row.label, row.unit,
                         _("hausse") if row.direction == "hausse" else _("baisse"),
                         *[v for v, _f in figures], row.achievement_raw, row.achievement,
                         _status(row.status), ", ".join(str(y) for y in row.missing_years)])
            formats.append([None, None, None, None, None, *[f for _v, f in figures],
                            PERCENT, PERCENT, TEXT, TEXT])
            statuses.append(row.status)
    table(ws, columns, rows, header_row=HEADER_ROW, formats=formats, freeze_column=3)
    for r, status in enumerate(statuses, start=HEADER_ROW + 1):
        if status in STATUS_FILLS:
            ws.cell(row=r, column=11).fill = PatternFill("solid", fgColor=STATUS_FILLS[status])


def yearly_series(ws, c: AnnexContent, ri: str) -> None:
    """The RI's yearly values: the pair first, then the other pairs; per 10 000 inhabitants
    as well for the indicators compared that way."""
    programme = c.programme
    heading(ws, _("{ri} — séries annuelles {start}–{end}").format(
                ri=ri, start=c.baseline_year, end=c.year),
            _("Valeurs de chaque année telles que les lit le cadre logique (indicateur "
              "cumulatif : cumul depuis la base) ; cellule vide : donnée absente."))
    columns = [Column(_("Code"), 8), Column(_("Indicateur"), 46, True), Column(_("Unité"), 18),
               Column(_("Partenariat"), 32), Column(_("Partenariat évalué"), 11),
               *[Column(str(y), 11) for y in c.years]]
    yes, no = _("oui"), _("non")
    order = [c.pair, *[p for p in programme.pair_codes if p != c.pair]]
    rows, formats = [], []
    for ind in programme.indicators_of(ri):
        scales = [(1.0, ind.unit)]
        if ind.per_inhabitants:
            scales.append((None, _("{unit} pour 10 000 habitants").format(unit=ind.unit)))
        for scale, unit in scales:
            for p in order:
                values = series.annual_series(c.observations, ind, p, c.years)
                divide = scale or programme.pair_map[p].population / PER
                cells = [measured(None if v != v else v / divide, ind.measure, ind.levels,
                                  decimals=scale is None) for v in values]
                rows.append([ind.code, ind.label, unit, programme.pair_map[p].label,
                             yes if p == c.pair else no, *[v for v, _f in cells]])
                formats.append([None, None, None, None, TEXT, *[f for _v, f in cells]])
    last = table(ws, columns, rows, header_row=HEADER_ROW, formats=formats, freeze_column=5)
    for r in range(HEADER_ROW + 1, last + 1):
        if ws.cell(row=r, column=5).value == yes:
            for col in range(1, len(columns) + 1):
                ws.cell(row=r, column=col).font = Font(bold=True)


def _grade_row(kind: str, code: str, title: str, grade, labels: dict) -> list:
    score = grade.score if grade else None
    pending = _("à compléter par l’équipe")
    return [kind, code, title, score, labels.get(score, pending), grade.proposed if grade else None,
            (grade.text if grade else "") or pending, grade.justification if grade else ""]


def judgements(ws, c: AnnexContent) -> None:
    """The team's grades and reasoning, by RI then by DAC criterion, beside the proposals."""
    heading(ws, _("Appréciations de l’équipe d’évaluation"),
            _("Échelle : {scale}. La note proposée est celle du barème (annexe du rapport) ; "
              "l’équipe retient la sienne.").format(
                scale=" ; ".join(f"{r.code} {r.label}" for r in c.programme.scale)))
    labels = {r.code: r.label for r in c.programme.scale}
    rows = []
    for ri, result in c.results.items():
        title = c.programme.result_map[ri].title if ri in c.programme.result_map else ""
        if result is None:
            rows.append(["RI", ri, title, None, "", None, _("Carnet indisponible"), ""])
            continue
        rows.append(_grade_row("RI", ri, title, result.grade, labels))
    if c.pair_result is not None:
        names = {k.code: k.label for k in c.programme.criteria}
        for code, grade in c.pair_result.criteria.items():  # the word, never the code
            rows.append(_grade_row(_("Critère du CAD"), names.get(code, code),
                                   names.get(code, code), grade, labels))
        for code, grade in c.pair_result.questions.items():
            question = c.matrix.question_map.get(code) if c.matrix is not None else None
            rows.append(_grade_row(_("Question"), code, question.text if question else code,
                                   grade, labels))
    table(ws, [Column(_("Objet"), 14), Column(_("Code"), 12), Column(_("Intitulé"), 40, True),
               Column(_("Note de l’équipe"), 9), Column(_("Signification"), 22, True),
               Column(_("Note proposée"), 9), Column(_("Appréciation ou réponse de l’équipe"),
                                                     70, True),
               Column(_("Justification de l’écart"), 40, True)],
          rows, header_row=HEADER_ROW, freeze_column=3)


def conclusions(ws, c: AnnexContent) -> None:
    """The team's numbered conclusions and the findings they rest on."""
    heading(ws, _("Conclusions de l’équipe d’évaluation"),
            _("Chaque conclusion renvoie aux constats (question et critère de jugement) sur "
              "lesquels elle repose."))
    found = c.pair_result.conclusions if c.pair_result is not None else []
    rows = [[k.id, k.text, ", ".join(k.findings)] for k in found]
    table(ws, [Column(_("N°"), 6), Column(_("Conclusion"), 100, True),
               Column(_("Constats"), 24, True)], rows, header_row=HEADER_ROW, freeze_column=1)


FOLLOW_UP_STATES = (N_("non engagée"), N_("en cours"), N_("réalisée"), N_("abandonnée"))
"""The states of a recommendation's follow-up offered in the « État du suivi » column."""


def recommendations(ws, c: AnnexContent) -> None:
    """The team's recommendations, with two columns left for their follow-up."""
    heading(ws, _("Recommandations de l’équipe d’évaluation"),
            _("Les deux dernières colonnes sont à remplir lors du suivi de leur mise en œuvre."))
    matrix = c.matrix
    rows, formats = [], []
    for r in c.pair_result.recommendations if c.pair_result is not None else []:
        deadline = dt.date.fromisoformat(r.deadline)
        rows.append([r.id, r.text,
                     matrix.addressees.get(r.addressee, r.addressee) if matrix else r.addressee,
                     matrix.priorities.get(r.priority, r.priority) if matrix else r.priority,
                     deadline, ", ".join(r.conclusions), ", ".join(r.results), "", ""])
        formats.append([None, None, None, None, "DD/MM/YYYY", None, None, None, None])
    last = table(ws, [Column(_("N°"), 6), Column(_("Recommandation"), 70, True),
                      Column(_("Destinataire"), 24, True), Column(_("Priorité"), 10),
                      Column(_("Échéance"), 12), Column(_("Conclusions"), 12),
                      Column(_("Résultats"), 12), Column(_("État du suivi"), 18, True),
                      Column(_("Commentaire de suivi"), 40, True)],
                 rows, header_row=HEADER_ROW, formats=formats, freeze_column=1)
    if rows:  # the follow-up's state chosen from a list, the same words in every annex
        states = [_(s) for s in FOLLOW_UP_STATES]
        check = DataValidation(type="list", formula1='"' + ",".join(states) + '"',
                               allow_blank=True)
        check.error = _("Choisissez un état dans la liste : {states}.").format(
            states=", ".join(states))
        check.add(f"H{HEADER_ROW + 1}:H{last}")
        ws.add_data_validation(check)


def build(c: AnnexContent, title: str) -> Workbook:
    """The annex workbook of ``c`` (see the module's docstring for its sheets)."""
    wb = Workbook()
    readme(wb.active, c, title)
    wb.active.title = _(SHEETS["readme"])
    logframe(wb.create_sheet(_(SHEETS["logframe"])), c)
    if c.observations is not None:
        for ri in (ri for ri, result in c.results.items() if result is not None):
            yearly_series(wb.create_sheet(series_sheet_name(ri)), c, ri)
    judgements(wb.create_sheet(_(SHEETS["judgements"])), c)
    conclusions(wb.create_sheet(_(SHEETS["conclusions"])), c)
    recommendations(wb.create_sheet(_(SHEETS["recommendations"])), c)
    pair, phase = c.programme.pair_map[c.pair], c.programme.phases[c.phase]
    wb.properties.creator = "maroc-eval"
    wb.properties.lastModifiedBy = "maroc-eval"
    wb.properties.title = _("Annexe — {pair} — {phase} ({year})").format(
        pair=pair.label, phase=phase.label, year=phase.year)
    wb.properties.subject = _("{programme} : cadre logique, séries annuelles, appréciations et "
                              "recommandations").format(programme=c.programme.name)
    wb.properties.keywords = _("évaluation; cadre logique") + (
        _("; données fictives") if c.fictitious else "")
    wb.properties.description = (_("Données fictives : échantillon de démonstration.")
                                 if c.fictitious else None)
    return wb
