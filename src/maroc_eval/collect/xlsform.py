"""The questionnaire as an XLSForm, for KoboToolbox and ODK Collect.

Sheets ``survey``, ``choices`` and ``settings``: the pair first (a list), then one group per RI
with one question per indicator × year × disaggregation and a source and comment question;
constraints and lists follow the rules of ``validate`` (:mod:`.rules`), labels and messages are
French. Question names (``RI3_1_2011_sexe_F``: :func:`.rules.question_name`) are what
:mod:`.received` recognises in Kobo's export of the submissions. Cells are written as text
(:mod:`maroc_eval.base.sheetcells`): a label of the programme never becomes a spreadsheet formula.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from pathlib import Path

from ..base.atomic import write_atomic
from ..base.fmt import plain
from ..base.i18n import _
from ..base.sheetcells import append
from ..core.programme import Programme
from .rules import CHOICE, WHOLE, Rule, flow_hint, question_name, rule_of, splits

SURVEY = ("type", "name", "label", "hint", "required", "constraint", "constraint_message")
CHOICES = ("list_name", "name", "label")
SETTINGS = ("form_title", "form_id", "version")


def xlsform_name(years: list[int]) -> str:
    """``xlsform-2011-2012.xlsx``."""
    span = f"{years[0]}" if years[0] == years[-1] else f"{years[0]}-{years[-1]}"
    return f"xlsform-{span}.xlsx"


def _constraint(rule: Rule) -> str:
    if rule.kind == CHOICE:
        return ""
    text = f". >= {plain(rule.low or 0).replace(',', '.')}"
    if rule.high is not None:
        text += f" and . <= {plain(rule.high).replace(',', '.')}"
    return text


def _type(rule: Rule, list_name: str) -> str:
    if rule.kind == CHOICE:
        return f"select_one {list_name}"
    return "integer" if rule.kind == WHOLE else "decimal"


def xlsform_sheets(programme: Programme, pairs: list[str],
                   years: list[int]) -> dict[str, list[tuple]]:
    """The rows of each sheet of the XLSForm (header first).

    Parameters
    ----------
    programme : Programme
    pairs : list of str
        The pairs offered in the first question.
    years : list of int
        The years asked.

    Returns
    -------
    dict
        ``survey``, ``choices``, ``settings`` → rows.
    """
    survey = [SURVEY, ("select_one partenariat", "partenariat", _("Partenariat"),
                       _("La commune belge et la commune marocaine du partenariat"), "yes", "", "")]
    choices = [CHOICES] + [("partenariat", p, programme.pair_map[p].label) for p in pairs]
    lists: dict[tuple, str] = {}
    for result in programme.results:
        survey.append(("begin_group", result.code,
                       f"{result.code.replace('RI', 'RI ')} — {result.title}", "", "", "", ""))
        for ind in programme.indicators_of(result.code):
            rule = rule_of(ind)
            list_name = ""
            if rule.kind == CHOICE:
                list_name = lists.get(rule.choices) or (
                    "oui_non" if rule.choices[0][0] == "oui"
                    else "niveaux_" + ind.code.replace(".", "_"))
                if rule.choices not in lists:
                    lists[rule.choices] = list_name
                    choices += [(list_name, value, text) for value, text in rule.choices]
            for dim, cat in splits(programme, ind):
                split = f" — {programme.dimensions[dim].categories[cat]}" if dim else ""
                for year in years:
                    survey.append((
                        _type(rule, list_name), question_name(ind.code, year, dim, cat),
                        f"{ind.code} — {ind.label}{split} — {year}",
                        f"{ind.unit} ; {flow_hint(ind, programme.baseline_year)} ; "
                        f"{rule.text}", "", _constraint(rule),
                        _("Attendu : {text}.").format(text=rule.text)
                        if rule.kind != CHOICE else ""))
        survey += [("text", f"{result.code}_source", _("Source des valeurs (PV, registre, "
                                                       "budget…)"), "", "", "", ""),
                   ("text", f"{result.code}_commentaire", _("Commentaire"), "", "", "", ""),
                   ("end_group", "", "", "", "", "", "")]
    span = f"{years[0]}" if years[0] == years[-1] else f"{years[0]}-{years[-1]}"
    settings = [SETTINGS, (_("Suivi — {name} — {span}").format(name=programme.name, span=span),
                           f"maroc_eval_{span.replace('-', '_')}",
                           dt.date.today().strftime("%Y%m%d"))]
    return {"survey": survey, "choices": choices, "settings": settings}


def write_xlsform(programme: Programme, pairs: list[str], years: list[int], folder: Path) -> Path:
    """Write the XLSForm (atomically) and return its path (see :func:`xlsform_sheets`)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in xlsform_sheets(programme, pairs, years).items():
        ws = wb.create_sheet(name)
        for row in rows:
            append(ws, [v if v != "" else None for v in row])
        for cell in ws[1]:
            cell.font = Font(bold=True)
    buffer = BytesIO()
    wb.save(buffer)
    path = Path(folder) / xlsform_name(years)
    write_atomic(path, buffer.getvalue())
    return path
