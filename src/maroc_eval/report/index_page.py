"""``outputs/index.html``: every report (HTML, PDF, Word) and annex, each pair's status, the run
ledger's summary, and the « Données fictives » notice when the data say they are fictitious.

The page is ``templates/index/index.html.j2`` (its style, ``static/index.css``, inlined: the page
stays self-contained and opens offline); this module gathers its data.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from ..base import fmt, i18n, paths, typography
from ..base.atomic import write_atomic
from ..base.fmt import NBSP
from ..base.i18n import _, ngettext
from ..base.ledger import RUN_LABELS
from ..base.markup import render
from .sections import badge

PAGE = f"{paths.INDEX_TEMPLATE}/index.html.j2"


@dataclass
class PairRow:
    """One pair of one phase in the index."""

    label: str
    status: str | None
    index: float | None
    ri_status: dict[str, str]
    report: Path | None
    annex: Path | None
    ran: bool = True
    pdf: Path | None = None
    docx: Path | None = None
    arabic: str | None = None
    """The Moroccan commune's name in Arabic script, shown beside the label."""


@dataclass
class PhaseIndex:
    """One phase in the index."""

    code: str
    label: str
    year: int
    pairs: list[PairRow]
    programme_report: Path | None
    entries: dict[str, dict]
    programme_pdf: Path | None = None
    programme_docx: Path | None = None
    edges: tuple[float, ...] = ()
    """The phase's status thresholds: an index is never rounded across its status's band."""


def _href(target: Path | None, outputs: Path) -> str | None:
    """A link from the index to a file of the outputs (``None`` when there is none)."""
    return Path(os.path.relpath(target, outputs)).as_posix() if target else None


def _documents(outputs: Path, **files: Path | None) -> list[tuple[str, str]]:
    """``(label, href)`` of each format of a report that exists, in the order given."""
    return [(label, _href(path, outputs)) for label, path in files.items() if path is not None]


def _run_count(status: str, n: int) -> str:
    """« 43 réussis », « 1 échec », « 2 à jour » (the noun agrees with the number)."""
    forms = {"ok": ngettext("{n} réussi", "{n} réussis", n),
             "failed": ngettext("{n} échec", "{n} échecs", n),
             "skipped": ngettext("{n} à jour", "{n} à jour", n),
             "interrupted": ngettext("{n} interrompu", "{n} interrompus", n)}
    if status in forms:
        return forms[status].format(n=n)
    return f"{n} {_(RUN_LABELS[status]) if status in RUN_LABELS else status}"


def _run_summary(entries: dict[str, dict]) -> str:
    """How many notebooks ended in each run status: ``"12 réussis, 1 échec"``."""
    counts: dict[str, int] = {}
    for entry in entries.values():
        counts[entry.get("status", "?")] = counts.get(entry.get("status", "?"), 0) + 1
    return ", ".join(_run_count(s, n) for s, n in sorted(counts.items())) \
        or _("aucun carnet exécuté")


def other_language_index(outputs: Path) -> tuple[str, str] | None:
    """``(label, href)`` of the index of the reports in the other language, when it exists:
    from the French index (``outputs/index.html``) to ``en/index.html``, and back."""
    outputs = Path(outputs)
    lang = i18n.language()
    if lang == i18n.DEFAULT:
        other = paths.index_path(paths.language_outputs(outputs, "en"))
        label = "English version of the reports"
    else:
        other = paths.index_path(outputs.parent) if outputs.name == lang else None
        label = "Version française des rapports"
    if other is None or not other.exists():
        return None
    return label, Path(os.path.relpath(other, outputs)).as_posix()


def _phase_data(phase: PhaseIndex, ris: list[str], outputs: Path) -> dict:
    """What the index shows of one phase."""
    pairs = [{"label": p.label, "arabic": p.arabic, "ran": p.ran, "status": badge(p.status),
              "index": fmt.achievement(p.index, phase.edges),
              "ri_status": [badge(p.ri_status.get(ri, "indisponible")) for ri in ris],
              "report": _href(p.report, outputs), "annex": _href(p.annex, outputs),
              "documents": _documents(outputs, HTML=p.report, PDF=p.pdf, Word=p.docx,
                                      Excel=p.annex)}
             for p in phase.pairs]
    failures = [{"key": k, "status": _(RUN_LABELS[e["status"]]),
                 "error": " : ".join(str(x) for x in (e.get("ename"), e.get("evalue")) if x)}
                for k, e in sorted(phase.entries.items())
                if e.get("status") in ("failed", "interrupted")]
    return {"code": phase.code, "label": phase.label, "year": phase.year, "pairs": pairs,
            "programme_report": _href(phase.programme_report, outputs),
            "programme_documents": _documents(outputs, HTML=phase.programme_report,
                                              PDF=phase.programme_pdf, Word=phase.programme_docx),
            "summary": _run_summary(phase.entries), "failures": failures}


def index_html(programme_name: str, phases: list[PhaseIndex], ris: list[str],
               outputs: Path, fictitious: bool = False) -> str:
    """The index page (self-contained, no script); ``fictitious``: the data say they are."""
    built = typography.when(dt.datetime.now().astimezone().isoformat(timespec="seconds")) \
        if i18n.language() != i18n.DEFAULT else \
        dt.datetime.now().astimezone().strftime("%d/%m/%Y %H:%M")
    changes = paths.changes_page_path(Path(outputs))
    return str(render(PAGE, programme_name=programme_name, built=built, fictitious=fictitious,
                      other_language=other_language_index(outputs),
                      changes=changes.name if changes.is_file() else None,
                      ris=[ri.replace("RI", "RI" + NBSP) for ri in ris],
                      phases=[_phase_data(p, ris, Path(outputs)) for p in phases]))


def write_index(outputs: Path, programme_name: str, phases: list[PhaseIndex],
                ris: list[str], fictitious: bool = False) -> Path:
    """Write ``outputs/index.html`` atomically and return its path."""
    target = paths.index_path(outputs)
    write_atomic(target, index_html(programme_name, phases, ris, Path(outputs), fictitious))
    return target
