"""The joined report notebooks: one per pair and phase, one for the programme per phase.

Each joins the executed notebooks of :mod:`maroc_eval.report.inputs` with the report's own
sections (:mod:`maroc_eval.report.sections`): cover, executive summary, context and method,
findings per RI, DAC criteria, conclusions, annexes. :mod:`maroc_eval.report.build` exports them
to HTML.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .. import fmt, paths
from ..catalogue import RI_NOTEBOOKS
from ..sidecar import PairResult
from . import assemble, sections
from .inputs import PairInputs
from .provenance import collect, resolve_data_dir


def _data_dir(inputs: PairInputs) -> Path | None:
    for out in (*inputs.ris.values(), inputs.synthesis):
        if out.sidecar is not None and out.sidecar.parameters.get("data_dir"):
            return resolve_data_dir(out.sidecar.parameters["data_dir"])
    return None


def _thresholds(inputs: PairInputs, programme) -> dict:
    found = programme.thresholds.as_parameters()
    for result in inputs.ri_results.values():
        if result is not None:
            found.update({k: result.parameters[k] for k in found
                          if result.parameters.get(k) is not None})
            break
    return found


def _pair_data(inputs: PairInputs) -> tuple[list[str], list, bool]:
    """Sources and comments of the pair's monitoring data (from its RI sidecars), and whether
    the data folder said its data are fictitious."""
    results = [r for r in inputs.ri_results.values() if r is not None]
    sources = sorted({s for r in results for s in r.sources})
    comments = [(c.indicator, str(c.year), c.text) for r in results for c in r.comments]
    fictitious = any(r.fictitious for r in results) or (
        inputs.synthesis.sidecar is not None and inputs.synthesis.sidecar.fictitious)
    return sources, comments, fictitious


def _cover_facts(programme, phase, pair=None) -> list[tuple[str, str]]:
    facts = [("Phase", phase.label), ("Année de référence", str(phase.year)),
             ("Année de base", str(programme.baseline_year))]
    if pair is not None:
        facts.insert(0, ("Partenariat", pair.label))
    return [*facts, ("Date du rapport", dt.date.today().strftime("%d/%m/%Y"))]


def pair_notebook(programme, inputs: PairInputs):
    """The joined report notebook of one pair and phase."""
    phase, pair = programme.phases[inputs.phase], programme.pair_map[inputs.pair]
    sources, comments, fictitious = _pair_data(inputs)
    ri_results = inputs.ri_results
    reasons = {ri: o.reason for ri, o in inputs.ris.items() if not o.available}
    synthesis = inputs.synthesis.notebook if inputs.synthesis.available else None
    pair_result = inputs.synthesis.sidecar if isinstance(inputs.synthesis.sidecar,
                                                         PairResult) else None
    title = f"Rapport d’évaluation — {pair.label} — {phase.label} ({phase.year})"
    H, C = assemble.heading_cell, assemble.html_cell
    cells = [C(sections.cover(programme=programme.name, title=f"{phase.label} ({phase.year})",
                              subtitle=f"Partenariat {pair.label}",
                              facts=_cover_facts(programme, phase, pair), fictitious=fictitious),
               assemble.COVER)]
    cells += assemble.mark_new_page([H(1, "Résumé exécutif"), C(
        sections.pair_summary(programme, pair_result, ri_results, reasons))])
    if synthesis is not None:
        cells += assemble.section_cells(synthesis, "vue-ensemble", 0)
    cells += assemble.mark_new_page([H(1, "Contexte et méthode"), C(
        sections.context_method(programme, phase, _thresholds(inputs, programme), pair)
        + sections.limits(ri_results, sources, reasons))])
    cells += assemble.mark_new_page([H(1, "Constats par résultat intermédiaire")])
    for spec in RI_NOTEBOOKS:
        out = inputs.ris[spec.ri]
        prefix = spec.ri.lower()
        if out.available:
            cells += assemble.ri_cells(out.notebook, prefix)
        else:
            cells += assemble.mark_new_page([H(2, spec.title, prefix=prefix),
                                             C(sections.unavailable(spec.title, out.reason))])
    chapters = [("cad", "Appréciation globale (critères du CAD)"),
                ("conclusions", "Conclusions et recommandations")]
    before = programme.previous_phase(phase.code)
    if before is not None:
        chapters.append(("comparaison", f"Comparaison {before.label.lower()} → "
                                        f"{phase.label.lower()}"))
    for section, label in chapters:
        part = assemble.section_cells(synthesis, section, -1) if synthesis is not None else []
        if not part:
            part = [H(1, label), C(sections.unavailable(
                label, inputs.synthesis.reason or "section absente de la synthèse"))]
        cells += assemble.mark_new_page(part)
    annex = paths.pair_annex_path(Path("."), inputs.phase, inputs.pair).name
    cells += assemble.mark_new_page([H(1, "Annexes")])
    cells += [H(2, "Annexe A — Cadre logique"),
              C(sections.spreadsheet_link(annex)
                + sections.logframe_table(ri_results, programme.baseline_year, phase.year)),
              H(2, "Annexe B — Qualité des données"),
              C(sections.data_quality(ri_results, comments)),
              H(2, "Annexe C — Paramètres et provenance"),
              C(sections.provenance(collect([*inputs.ris.values(), inputs.synthesis])))]
    return assemble.new_report(title, cells)


def programme_notebook(programme, phase_code: str, output, pair_results: dict, links: dict):
    """The joined report notebook of the programme for a phase."""
    phase = programme.phases[phase_code]
    title = f"Rapport d’évaluation — Programme — {phase.label} ({phase.year})"
    H, C = assemble.heading_cell, assemble.html_cell
    fictitious = (output.sidecar is not None and output.sidecar.fictitious) or any(
        r.fictitious for r in pair_results.values() if r is not None)
    summary = sections.programme_summary(programme, pair_results)
    cells = [C(sections.cover(programme=programme.name, title=f"{phase.label} ({phase.year})",
                              subtitle=f"Synthèse du programme "
                                       f"({fmt.count(len(programme.pairs), 'partenariat')})",
                              facts=_cover_facts(programme, phase), fictitious=fictitious),
               assemble.COVER)]
    cells += assemble.mark_new_page([H(1, "Résumé exécutif"), C(summary)])
    cells += assemble.mark_new_page([H(1, "Contexte et méthode"), C(
        sections.context_method(programme, phase, programme.thresholds.as_parameters()))])
    if output.available:
        cells += assemble.mark_new_page(assemble.untitled_cells(output.notebook, -1, "programme"))
    else:
        cells += [H(1, "Synthèse du programme"),
                  C(sections.unavailable("Synthèse du programme", output.reason))]
    cells += assemble.mark_new_page([H(1, "Annexes")])
    cells += [H(2, "Rapports des partenariats"),
              C(sections.report_links(links)),
              H(2, "Paramètres et provenance"),
              C(sections.provenance(collect([output])))]
    return assemble.new_report(title, cells)
