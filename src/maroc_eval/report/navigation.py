"""The navigation bar of a report: the index, the other phase, the programme report, the other
formats of the report itself.

Links are relative to the report's folder (the outputs open from a USB stick, without network)
and point only to files that exist or that the current build writes: ``will_exist`` says which.
The bar is part of what a report is made from (its key), so a report is exported again when a
link appears or goes (:mod:`maroc_eval.report.build`). It is hidden when printed and left out of
the Word version.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ..base import paths
from ..base.fmt import typo
from ..base.i18n import N_, _

FORMAT_LABELS = (("pdf", N_("Version PDF")), ("docx", N_("Version Word")))


def _href(target: Path, report: Path) -> str:
    return Path(os.path.relpath(target, Path(report).parent)).as_posix()


def _item(target: Path, report: Path, text: str) -> dict[str, str]:
    return {"href": _href(target, report), "text": text}


def _formats(report: Path, will_exist: Callable[[Path], bool]) -> list[dict[str, str]]:
    found = []
    for fmt, text in FORMAT_LABELS:
        target = paths.report_format_path(report, fmt)
        if will_exist(target):
            found.append(_item(target, report, _(text)))
    return found


def pair_navigation(programme, outputs: Path, phase: str, pair: str,
                    will_exist: Callable[[Path], bool]) -> list[dict[str, str]]:
    """The links of a pair's report: ``[{"href": …, "text": …}, …]``.

    Parameters
    ----------
    programme : Programme
        Its phases' labels and years.
    outputs : Path
        The results folder.
    phase, pair : str
        The report's phase and pair codes.
    will_exist : callable
        Whether a file of the outputs exists after this build.
    """
    report = paths.pair_report_path(outputs, phase, pair)
    items = [_item(paths.index_path(outputs), report, _("Index des rapports"))]
    for code, other in programme.phases.items():
        target = paths.pair_report_path(outputs, code, pair)
        if code != phase and will_exist(target):
            items.append(_item(target, report, _("{phase} ({year}) du partenariat").format(
                phase=other.label, year=other.year)))
    programme_report = paths.programme_report_path(outputs, phase)
    if will_exist(programme_report):
        items.append(_item(programme_report, report,
                           _("Rapport du programme ({phase})").format(
                               phase=programme.phases[phase].label.lower())))
    items += _formats(report, will_exist)
    annex = paths.pair_annex_path(outputs, phase, pair)
    if will_exist(annex):
        items.append(_item(annex, report, _("Annexe Excel")))
    return items


def programme_navigation(programme, outputs: Path, phase: str,
                         will_exist: Callable[[Path], bool]) -> list[dict[str, str]]:
    """The links of a programme report (index, other phases' programme reports, formats)."""
    report = paths.programme_report_path(outputs, phase)
    items = [_item(paths.index_path(outputs), report, _("Index des rapports"))]
    for code, other in programme.phases.items():
        target = paths.programme_report_path(outputs, code)
        if code != phase and will_exist(target):
            items.append(_item(target, report, typo(_(
                "Rapport du programme : {phase} ({year})").format(phase=other.label.lower(),
                                                                  year=other.year))))
    return items + _formats(report, will_exist)
