"""The data-entry workbook of a pair (``maroc-eval formulaire``).

One ``.xlsx`` per pair and period: an instructions sheet in French (who fills it, deadline,
contact, how, what each indicator means and its unit), then one sheet per RI with one row per
indicator × year × disaggregation. The years before the period are shown for reference, filled
from the data folder and locked; the input cells (value, source, comment) of the period are
unlocked, pre-filled with the values already known, and carry Excel data validation matching
``validate`` (:mod:`.rules`). Sheets are protected without a password: labels cannot be edited
by mistake, data entry is free. A hidden sheet ``maroc-eval`` says which cell holds which value,
signed with the data folder's key (:mod:`.formmeta`), for :mod:`.formread`.

Every cell is written through :mod:`maroc_eval.base.sheetcells`: a source or a comment of the data
that begins with ``=`` is shown as text, never run as a formula.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from pathlib import Path

import pandas as pd

from ..base.atomic import write_atomic
from ..base.i18n import N_, _
from ..base.sheetcells import append, write
from ..core.programme import Programme
from .formmeta import (
    COMMENT,
    FORMAT,
    HEADER_ROW,
    INFO,
    META_COLUMNS,
    META_SHEET,
    SOURCE,
    VALUE,
    layout,
    row_digest,
    signature,
)
from .rules import CHOICE, WHOLE, Rule, flow_hint, rule_of

LISTS_SHEET = "listes"
INSTRUCTIONS = "Instructions"
HEADER = (N_("Code"), N_("Indicateur"), N_("Ventilation"), N_("Année"), N_("Valeur"), N_("Unité"),
          N_("Valeurs acceptées"), N_("Source"), N_("Commentaire"))
"""The column headings of an RI sheet (French source, translated when written)."""
_WIDTHS = {"A": 8, "B": 58, "C": 16, "D": 7, "E": 14, "F": 16, "G": 34, "H": 30, "I": 30}


def form_name(pair: str, years: list[int]) -> str:
    """``formulaire-liege-tanger-2011-2012.xlsx``."""
    span = f"{years[0]}" if years[0] == years[-1] else f"{years[0]}-{years[-1]}"
    return f"formulaire-{pair}-{span}.xlsx"


def known_values(observations: pd.DataFrame, pair: str) -> dict[tuple, tuple]:
    """``(indicator, year, dimension, category) → (value, source, comment)`` of a pair."""
    rows = observations[observations["pair"] == pair]
    return {(r.indicator, int(r.year), r.dimension, r.category): (r.value, r.source, r.comment)
            for r in rows.itertuples(index=False)}


def write_forms(programme: Programme, observations: pd.DataFrame, pairs: list[str],
                years: list[int], folder: Path, key: bytes, *, deadline: str | None = None,
                contact: str | None = None) -> list[Path]:
    """Write the workbook of each pair.

    Parameters
    ----------
    programme : Programme
    observations : DataFrame
        The data folder's validated rows (reference values and values already known).
    pairs : list of str
        Pair codes.
    years : list of int
        The years to collect.
    folder : Path
        Where the workbooks are written (atomically).
    key : bytes
        The data folder's key (:func:`.formmeta.form_key`): signs each form's hidden sheet.
    deadline, contact : str, optional
        Shown on the instructions sheet.

    Returns
    -------
    list of Path
        The workbooks written.
    """
    written = []
    for pair in pairs:
        path = Path(folder) / form_name(pair, years)
        write_atomic(path, form_bytes(programme, known_values(observations, pair), pair, years,
                                      key, deadline=deadline, contact=contact))
        written.append(path)
    return written


def form_bytes(programme: Programme, known: dict, pair: str, years: list[int], key: bytes, *,
               deadline: str | None = None, contact: str | None = None) -> bytes:
    """The workbook of one pair, as bytes (see :func:`write_forms`)."""
    from openpyxl import Workbook

    wb = Workbook()
    _instructions(wb.active, programme, pair, years, deadline, contact)
    lists = wb.create_sheet(LISTS_SHEET)
    meta = wb.create_sheet(META_SHEET)
    list_ranges: dict[tuple, str] = {}
    slots = layout(programme, years)
    for result in programme.results:
        ws = wb.create_sheet(result.code, index=len(wb.sheetnames) - 2)
        _ri_sheet(ws, programme, result, pair, years, known,
                  [s for s in slots if s.sheet == result.code and s.code], lists, list_ranges)
    rows = [slot.as_row(row_digest(wb[slot.sheet], slot)) for slot in slots]
    day = dt.date.today().isoformat()
    span = ",".join(map(str, years))
    append(meta, [FORMAT])
    for name, value in zip(INFO, (pair, span, day, HEADER_ROW,
                                  signature(key, pair, years, day, rows)), strict=True):
        append(meta, [name, value])
    append(meta, list(META_COLUMNS))
    for row in rows:
        append(meta, row)
    lists.sheet_state = meta.sheet_state = "hidden"
    wb.active = 0
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _styles():
    from openpyxl.styles import Alignment, Font, PatternFill, Protection

    return {
        "title": Font(bold=True, size=13),
        "bold": Font(bold=True),
        "input": PatternFill("solid", fgColor="FFF2CC"),
        "reference": PatternFill("solid", fgColor="EDEDED"),
        "header": PatternFill("solid", fgColor="D9E1F2"),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "open": Protection(locked=False),
    }


def _protect(ws) -> None:
    """Protection without password: locked cells cannot be edited, columns can be widened."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _instructions(ws, programme: Programme, pair: str, years: list[int],
                  deadline: str | None, contact: str | None) -> None:
    st = _styles()
    info = programme.pair_map[pair]
    ws.title = INSTRUCTIONS
    period = (_(" et ").join(map(str, years)) if len(years) <= 2 else
              _("{first} à {last}").format(first=years[0], last=years[-1]))
    lines = [
        (_("Formulaire de suivi — {name}").format(name=programme.name), st["title"]),
        (_("Partenariat : {label} (commune de {moroccan}, province de {province})").format(
             label=info.label, moroccan=info.moroccan, province=info.province), st["bold"]),
        (_("Années à renseigner : {period}").format(period=period), st["bold"]),
        (_("Qui remplit : le Service d'Action sociale de la commune de {moroccan}, avec le "
           "point focal du partenariat ; chaque valeur est vérifiée par la personne qui la "
           "saisit.").format(moroccan=info.moroccan), None),
        (_("Date limite de retour : {deadline}").format(
             deadline=deadline or _("à convenir avec l’équipe d’évaluation")), None),
        (_("Contact : {contact}").format(
             contact=contact or _("l’équipe d’évaluation du programme")), None),
        ("", None),
        (_("Comment remplir"), st["bold"]),
        (_("• Une feuille par résultat intermédiaire (RI 1 à RI 7) ; saisissez les valeurs dans "
           "les cellules jaunes de la colonne « Valeur », une valeur par cellule."), None),
        (_("• Les lignes grisées rappellent les années précédentes : elles ne se modifient pas."),
         None),
        (_("• Nombres : virgule ou point décimal selon votre Excel ; pas d'unité ni de « % » "
           "dans la cellule (l'unité est à côté). Pourcentages de 0 à 100."), None),
        (_("• Oui/non et stades : choisissez dans la liste de la cellule."), None),
        (_("• Valeur inconnue : laissez la cellule vide (n'écrivez ni « n.d. » ni « - ») et "
           "expliquez-le dans « Commentaire »."), None),
        (_("• « Source » : le document d'où vient la valeur (PV, registre, budget…)."), None),
        (_("• Renvoyez ce fichier au format .xlsx, sans renommer ni déplacer les feuilles."), None),
        ("", None),
        (_("Les indicateurs"), st["bold"]),
    ]
    for text, font in lines:
        append(ws, [text])
        if font is not None:
            ws.cell(ws.max_row, 1).font = font
    append(ws, [_("Code"), _("Indicateur"), _("Unité"), _("Valeur d'une année"),
                _("Valeurs acceptées")])
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = st["bold"], st["header"]
    for ind in programme.indicators:
        split = ", ".join(programme.dimensions[d].label.lower() for d in ind.dimensions)
        label = ind.label + (_(" (ventilé par {split})").format(split=split) if split else "")
        append(ws, [ind.code, label, ind.unit, flow_hint(ind, programme.baseline_year),
                    rule_of(ind).text])
        for cell in ws[ws.max_row]:
            cell.alignment = st["wrap"]
    for col, width in zip("ABCDE", (10, 60, 18, 44, 44), strict=True):
        ws.column_dimensions[col].width = width
    _protect(ws)


def _ri_sheet(ws, programme, result, pair, years, known, slots, lists, list_ranges) -> None:
    """One RI sheet: its heading rows, then a row per slot of :func:`.formmeta.layout`."""
    st = _styles()
    append(ws, [f"{result.code.replace('RI', 'RI ')} — {result.title}"])
    ws["A1"].font = st["title"]
    append(ws, [_("{label} — saisissez les années {join} dans les cellules jaunes ; les lignes "
                  "grisées sont données pour référence.").format(
                    label=programme.pair_map[pair].label, join=', '.join(map(str, years)))])
    ws.append([])
    append(ws, [_(title) for title in HEADER])
    for cell in ws[HEADER_ROW]:
        cell.font, cell.fill = st["bold"], st["header"]
    validations: dict[tuple, object] = {}
    for slot in slots:
        ind = programme.indicator_map[slot.code]
        rule = rule_of(ind)
        dim, cat = slot.dimension, slot.category
        split = f"{programme.dimensions[dim].categories[cat]} ({dim}={cat})" if dim else ""
        value, source, comment = known.get((ind.code, slot.year, dim, cat), (None, "", ""))
        row = slot.row
        for column, content in enumerate((ind.code, ind.label, split, slot.year,
                                          _shown(value, rule), ind.unit, rule.text,
                                          source or None, comment or None), start=1):
            cell = write(ws, row, column, content)
            cell.alignment = st["wrap"]
            if not slot.entry:
                cell.fill = st["reference"]
        if slot.entry:
            for col in (VALUE, SOURCE, COMMENT):
                ws[f"{col}{row}"].protection = st["open"]
                ws[f"{col}{row}"].fill = st["input"]
            ws[f"{VALUE}{row}"].number_format = "0" if rule.kind == WHOLE else "General"
            _validation(ws, rule, lists, list_ranges, validations).add(f"{VALUE}{row}")
    for col, width in _WIDTHS.items():
        ws.column_dimensions[col].width = width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    _protect(ws)


def _shown(value, rule: Rule):
    """A known value as the cell shows it: a number, or the list entry (oui, ``2 — …``)."""
    if value is None:
        return None
    if rule.kind == CHOICE:
        if rule.choices[0][0] == "oui":
            return "oui" if value else "non"
        return dict(rule.choices)[str(int(value))]
    return int(value) if float(value).is_integer() else float(value)


def _validation(ws, rule: Rule, lists, list_ranges: dict, made: dict):
    """The sheet's data validation for a rule (one per distinct rule), created on first use."""
    from openpyxl.worksheet.datavalidation import DataValidation

    key = (rule.kind, rule.low, rule.high, rule.choices)
    if key in made:
        return made[key]
    common = dict(allow_blank=True, showErrorMessage=True, showInputMessage=True,
                  errorTitle=_("Valeur refusée"), error=_("Attendu : {text}.").format(
                                                         text=rule.text),
                  promptTitle=_("Valeur"), prompt=rule.text[:250])
    if rule.kind == CHOICE:
        if rule.choices not in list_ranges:
            column = len(list_ranges) + 1
            for i, (_code, label) in enumerate(rule.choices, start=1):
                write(lists, i, column, label)
            letter = lists.cell(1, column).column_letter
            list_ranges[rule.choices] = (f"{LISTS_SHEET}!${letter}$1:${letter}$"
                                         f"{len(rule.choices)}")
        dv = DataValidation(type="list", formula1=list_ranges[rule.choices], **common)
    elif rule.high is None:
        dv = DataValidation(type="whole" if rule.kind == WHOLE else "decimal",
                            operator="greaterThanOrEqual", formula1=_num(rule.low), **common)
    else:
        dv = DataValidation(type="whole" if rule.kind == WHOLE else "decimal",
                            operator="between", formula1=_num(rule.low),
                            formula2=_num(rule.high), **common)
    ws.add_data_validation(dv)
    made[key] = dv
    return dv


def _num(x: float | None) -> str:
    x = 0.0 if x is None else float(x)
    return str(int(x)) if x.is_integer() else repr(x)
