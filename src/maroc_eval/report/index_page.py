"""``outputs/index.html``: every report and annex, each pair's status, the run ledger's summary."""

from __future__ import annotations

import datetime as dt
import html
import os
from dataclasses import dataclass
from pathlib import Path

from .. import fmt, paths
from ..atomic import write_atomic
from ..fmt import NBSP, typo
from ..ledger import RUN_LABELS
from .sections import esc, status_badge

STYLE = """
body{font-family:"DejaVu Sans",Arial,sans-serif;color:#1d2733;max-width:80rem;margin:0 auto;
padding:1.5rem 2rem 3rem;line-height:1.45}
h1{border-bottom:2px solid #0072b2;padding-bottom:.2em}
table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.92rem}
th,td{border:1px solid #c8d0d8;padding:.3em .55em;text-align:left;vertical-align:top}
thead th{background:#f4f6f8}
a{color:#0072b2}
.rapport-statut{font-size:.85em;display:inline-block;padding:0 .45em;border-radius:3px;white-space:nowrap}
.rapport-statut-atteint{background:#7fceb9}.rapport-statut-en_bonne_voie{background:#aad8f2}
.rapport-statut-en_retard{background:#f2cf80}.rapport-statut-critique{background:#eaaf80}
.rapport-statut-non_renseigne,.rapport-statut-indisponible{background:#ddd}
.echec{background:#fde2e1}
"""


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


@dataclass
class PhaseIndex:
    """One phase in the index."""

    code: str
    label: str
    year: int
    pairs: list[PairRow]
    programme_report: Path | None
    entries: dict[str, dict]


def _href(target: Path, outputs: Path) -> str:
    return html.escape(Path(os.path.relpath(target, outputs)).as_posix(), quote=True)


def _phase_html(phase: PhaseIndex, ris: list[str], outputs: Path) -> str:
    head = "".join(f"<th>{esc(ri.replace('RI', 'RI' + NBSP))}</th>" for ri in ris)
    rows = []
    for p in phase.pairs:
        links = " · ".join(filter(None, [
            f'<a href="{_href(p.report, outputs)}">rapport</a>' if p.report else "",
            f'<a href="{_href(p.annex, outputs)}">annexe Excel</a>' if p.annex else ""])) or "—"
        cells = "".join(f"<td>{status_badge(p.ri_status.get(ri, 'indisponible'))}</td>"
                        for ri in ris)
        if not p.ran:
            rows.append(f"<tr><th>{esc(p.label)}</th><td colspan=\"{len(ris) + 3}\">"
                        "<em>non exécuté pour cette phase</em></td></tr>")
            continue
        rows.append(f"<tr><th>{esc(p.label)}</th><td>{status_badge(p.status)}</td>"
                    f"<td>{esc(fmt.achievement(p.index))}</td>{cells}<td>{links}</td></tr>")
    programme = (f'<p><a href="{_href(phase.programme_report, outputs)}">Rapport du programme'
                 "</a></p>" if phase.programme_report else
                 "<p><em>Rapport du programme indisponible.</em></p>")
    counts: dict[str, int] = {}
    for entry in phase.entries.values():
        counts[entry.get("status", "?")] = counts.get(entry.get("status", "?"), 0) + 1
    summary = ", ".join(f"{n} {RUN_LABELS.get(s, s)}" for s, n in sorted(counts.items())) or \
        "aucun carnet exécuté"
    failures = [(k, e) for k, e in sorted(phase.entries.items())
                if e.get("status") in ("failed", "interrupted")]
    failed = "".join(
        f'<tr class="echec"><td>{esc(k)}</td><td>{esc(RUN_LABELS.get(e.get("status"), ""))}</td>'
        f"<td>{esc(' : '.join(str(x) for x in (e.get('ename'), e.get('evalue')) if x))}</td></tr>"
        for k, e in failures)
    failed_html = ("<table><caption>Sections en échec</caption><thead><tr><th>Carnet</th>"
                   f"<th>Statut</th><th>Erreur</th></tr></thead><tbody>{failed}</tbody></table>"
                   if failures else "<p>Aucune section en échec.</p>")
    return (f'<section id="{esc(phase.code)}"><h2>{esc(phase.label)} '
            f"({phase.year})</h2>{programme}"
            f"<table><thead><tr><th>Partenariat</th><th>Statut</th><th>Indice</th>{head}"
            f"<th>Documents</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"<h3>Journal d’exécution</h3><p>{esc(typo('Carnets : ' + summary + '.'))}</p>"
            f"{failed_html}</section>")


def index_html(programme_name: str, phases: list[PhaseIndex], ris: list[str],
               outputs: Path) -> str:
    """The index page (self-contained, no script)."""
    built = dt.datetime.now().astimezone().strftime("%d/%m/%Y %H:%M")
    body = "".join(_phase_html(p, ris, outputs) for p in phases)
    return (f'<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>Rapports d’évaluation — {esc(programme_name)}</title>"
            f"<style>{STYLE}</style></head><body><main>"
            f"<h1>Rapports d’évaluation — {esc(programme_name)}</h1>"
            f"<p>{esc(typo('Index produit le ' + built + ' : rapports HTML (lisibles hors ligne), annexes Excel et état des exécutions.'))}</p>"
            f"{body}</main></body></html>\n")


def write_index(outputs: Path, programme_name: str, phases: list[PhaseIndex],
                ris: list[str]) -> Path:
    """Write ``outputs/index.html`` atomically and return its path."""
    target = paths.index_path(outputs)
    write_atomic(target, index_html(programme_name, phases, ris, Path(outputs)))
    return target
