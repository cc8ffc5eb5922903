"""The joined report notebooks: one per pair and phase, one for the programme per phase.

Each joins the executed notebooks of :mod:`maroc_eval.report.inputs` with the report's own
sections (:mod:`maroc_eval.report.sections`): cover, executive summary, context and method,
findings per RI, DAC criteria, conclusions, annexes. :mod:`maroc_eval.report.build` exports them
to HTML.
"""

from __future__ import annotations

from pathlib import Path

from ..base import fmt, paths
from ..base.catalogue import RI_NOTEBOOKS
from ..base.i18n import N_, _
from ..base.sidecar import PairResult
from ..base.status import nature_label
from ..core.matrix import load_matrix
from ..core.thresholds import Thresholds
from . import assemble, sections, sensitivity_annex
from .inputs import PairInputs
from .provenance import collect, pair_setting_runs, resolve_data_dir


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


def _edges(thresholds: dict, phase) -> tuple[float, ...]:
    """The status thresholds of a phase, for figures never rounded across their status."""
    return Thresholds.from_parameters(thresholds).for_phase(phase.summative).edges


def _pair_data(inputs: PairInputs) -> tuple[list[str], list, bool]:
    """Sources and comments of the pair's monitoring data (from its RI sidecars), and whether
    the data folder said its data are fictitious."""
    results = [r for r in inputs.ri_results.values() if r is not None]
    sources = sorted({s for r in results for s in r.sources})
    comments = [(c.indicator, str(c.year), c.text) for r in results for c in r.comments]
    fictitious = any(r.fictitious for r in results) or (
        inputs.synthesis.sidecar is not None and inputs.synthesis.sidecar.fictitious)
    return sources, comments, fictitious


def _matrix(programme):
    """The evaluation matrix beside the programme file, in the report's language."""
    matrix = load_matrix(programme)
    return matrix.localised() if matrix is not None else None


def _cover_facts(programme, matrix, phase, result, pair=None,
                 state=None) -> list[tuple[str, str]]:
    """Who commissioned it, who wrote it, the period it speaks of, the evaluation's own dates
    (its field mission and the delivery of its report, from the matrix's calendar — never the
    day the software ran, which the provenance annex gives) and the state of its version
    (``matrix``: the evaluation matrix, or ``None``; ``result``: the synthesis's sidecar;
    ``state``: its :class:`~maroc_eval.base.signature.VersionState`, signed or not)."""
    facts = [(_("Phase"), f"{phase.label} ({nature_label(phase.nature)})"),
             (_("Période couverte"), _("{start}–{year} (année de base {baseline}) — situation "
                                       "au 31 décembre {year}").format(
                 start=programme.period[0], year=phase.year, baseline=programme.baseline_year))]
    if pair is not None:
        facts.insert(0, (_("Partenariat"), pair.label))
    if matrix is not None:
        facts = [(_("Commanditaire"), matrix.commissioner_label()), *facts,
                 (_("Équipe d’évaluation"), matrix.team_label())]
        calendar = matrix.calendar.get(phase.code)
        if calendar is not None:
            if calendar.mission_start and calendar.mission_end:
                facts.append((_("Mission de terrain"), _("du {start} au {end}").format(
                    start=fmt.long_date(calendar.mission_start),
                    end=fmt.long_date(calendar.mission_end))))
            facts.append((_("Date du rapport"), fmt.long_date(calendar.delivery)))
    version = matrix.version if matrix is not None else "1.0"
    if state is not None and state.version:
        version = state.version  # the signed version, or the draft that follows it
    return [*facts, (_("Version"), f"{version} — {sections.version_state(result, state)}")]


def _changes_annex(state) -> list:
    """The annex listing what changed since the signed version (none when nothing did)."""
    if state is None or state.changes is None:
        return []
    title = _("Modifications depuis la version {version} signée").format(
        version=state.changes.since)
    return [assemble.heading_cell(2, _annex(CHANGES_ANNEX, title)),
            assemble.html_cell(sections.version_changes(state))]


def _synthesis_part(synthesis, section: str, label: str, reason: str | None, shift: int = -1,
                    level: int = 1) -> list:
    """A synthesis section under its own heading, or the notice that it is unavailable."""
    H, C = assemble.heading_cell, assemble.html_cell
    part = assemble.section_cells(synthesis, section, shift) if synthesis is not None else []
    if not part:
        part = [H(level, label), C(sections.unavailable(
            label, reason or _("section absente de la synthèse")))]
    return part


SYNTHESIS_ANNEXES = (("C", "coherence", N_("Contrôles des appréciations")),
                     ("D", "annexe-matrice", N_("Matrice d’évaluation")),
                     ("E", "annexe-bareme", N_("Barème des notes")),
                     ("F", "annexe-personnes", N_("Personnes rencontrées")),
                     ("G", "annexe-documents", N_("Documents consultés")),
                     ("H", "annexe-sigles", N_("Sigles et acronymes")))
"""The annexes taken from a synthesis: letter, section tag, French title."""
SENSITIVITY_ANNEX = "J"
"""The letter of the annex on how the statuses hold under other thresholds."""
CHANGES_ANNEX = "K"
"""The letter of the annex listing the changes since the signed version (when there are)."""


def _annex(letter: str, title: str) -> str:
    """« Annexe C — Matrice d’évaluation »."""
    return _("Annexe {letter} — {title}").format(letter=letter, title=title)


def _later_chapters(programme, phase) -> list[tuple[str, str]]:
    """Lessons (summative phase), follow-up of and comparison with the previous phase."""
    chapters = []
    before = programme.previous_phase(phase.code)
    if phase.summative:
        chapters.append(("lecons", _("Leçons apprises")))
    if before is not None:
        chapters += [("suivi", _("Suivi des recommandations de l’{phase}").format(
                         phase=before.label.lower())),
                     ("comparaison", _("Comparaison {before} → {phase}").format(
                         before=before.label.lower(), phase=phase.label.lower()))]
    return chapters


def pair_notebook(programme, inputs: PairInputs, state=None):
    """The joined report notebook of one pair and phase (``state``: its version state)."""
    phase, pair = programme.phases[inputs.phase], programme.pair_map[inputs.pair]
    sources, comments, fictitious = _pair_data(inputs)
    ri_results = inputs.ri_results
    reasons = {ri: o.reason for ri, o in inputs.ris.items() if not o.available}
    synthesis = inputs.synthesis.notebook if inputs.synthesis.available else None
    pair_result = inputs.synthesis.sidecar if isinstance(inputs.synthesis.sidecar,
                                                         PairResult) else None
    title = _("Rapport d’évaluation — {title}").format(
        title=f"{pair.label} — {phase.label} ({phase.year})")
    H, C = assemble.heading_cell, assemble.html_cell
    matrix = _matrix(programme)  # read once per report: the cover and the summary use it
    cells = [C(sections.cover(programme=programme.name, title=f"{phase.label} ({phase.year})",
                              subtitle=_("Partenariat {pair}").format(pair=pair.label),
                              facts=_cover_facts(programme, matrix, phase, pair_result, pair,
                                                 state),
                              fictitious=fictitious, arabic=pair.moroccan_ar),
               assemble.COVER)]
    why = inputs.synthesis.reason
    edges = _edges(_thresholds(inputs, programme), phase)
    cells += assemble.mark_new_page([H(1, _("Résumé exécutif")), C(
        sections.pair_summary(programme, pair_result, ri_results, reasons, matrix, edges))])
    if synthesis is not None:
        cells += assemble.section_cells(synthesis, "vue-ensemble", 0)
    cells += assemble.mark_new_page([H(1, _("Contexte et méthode")), C(
        sections.context_method(programme, phase, _thresholds(inputs, programme), pair))])
    cells += _synthesis_part(synthesis, "methode", _("Collecte des données"), why, 0, 2)
    cells += [C(sections.limits(ri_results, sources, reasons))]
    cells += assemble.mark_new_page(
        [H(1, _("Réponses aux questions d’évaluation")),
         *(assemble.shift_output_headings(
             assemble.section_cells(synthesis, "questions", 0, skip_heading=True), -1)
           if synthesis is not None else [])])
    cells += _synthesis_part(synthesis, "efficience", _("Efficience"), why, 0, 2)
    cells += assemble.mark_new_page([H(1, _("Constats par résultat intermédiaire"))])
    chapters = []
    for spec in RI_NOTEBOOKS:
        out = inputs.ris[spec.ri]
        prefix = spec.ri.lower()
        if out.available:
            chapters += assemble.ri_cells(out.notebook, prefix)
        else:
            title = _(spec.title)
            chapters += assemble.mark_new_page([H(2, title, prefix=prefix),
                                                C(sections.unavailable(title, out.reason))])
    cells += assemble.without_repeated_explanations(chapters)
    chapters = [("cad", _("Appréciation globale (critères du CAD)")),
                ("objectif", _("Verdict sur l’objectif spécifique")),
                ("conclusions", _("Conclusions et recommandations"))]
    chapters += _later_chapters(programme, phase)
    for section, label in chapters:
        cells += assemble.mark_new_page(_synthesis_part(synthesis, section, label, why))
    annex = paths.pair_annex_path(Path("."), inputs.phase, inputs.pair).name
    cells += assemble.mark_new_page([H(1, _("Annexes"))])
    cells += [H(2, _annex("A", _("Cadre logique"))),
              C(sections.spreadsheet_link(annex)
                + sections.logframe_table(ri_results, programme.baseline_year, phase.year,
                                          edges)),
              H(2, _annex("B", _("Qualité des données"))),
              C(sections.data_quality(ri_results, comments))]
    for letter, section, label in SYNTHESIS_ANNEXES:
        cells += [H(2, _annex(letter, _(label))),
                  *(assemble.section_cells(synthesis, section, 0, skip_heading=True)
                    if synthesis is not None else [])]
    cells += [H(2, _annex("I", _("Paramètres et provenance"))),
              C(sections.provenance(collect([*inputs.ris.values(), inputs.synthesis]),
                                    phase.summative)),
              H(2, _annex(SENSITIVITY_ANNEX, _("Sensibilité des statuts aux seuils"))),
              C(sensitivity_annex.pair_annex(ri_results, phase.summative))]
    cells += _changes_annex(state)
    return assemble.new_report(title, cells)


def programme_notebook(programme, phase_code: str, output, pair_results: dict, links: dict,
                       state=None, launched: dict | None = None):
    """The joined report notebook of the programme for a phase (``state``: its version
    state; ``launched``: pair → where ``maroc-eval run`` took each setting of the pair's
    synthesis from, as its notebook's metadata records it)."""
    phase = programme.phases[phase_code]
    title = _("Rapport d’évaluation — {title}").format(
        title=_("Programme — {phase} ({year})").format(phase=phase.label, year=phase.year))
    H, C = assemble.heading_cell, assemble.html_cell
    fictitious = (output.sidecar is not None and output.sidecar.fictitious) or any(
        r.fictitious for r in pair_results.values() if r is not None)
    matrix = _matrix(programme)
    synthesis = output.notebook if output.available else None
    summary = sections.programme_summary(
        programme, pair_results, output.sidecar, matrix,
        _edges(programme.thresholds.as_parameters(), phase))
    cells = [C(sections.cover(programme=programme.name, title=f"{phase.label} ({phase.year})",
                              subtitle=_("Synthèse du programme ({pairs})").format(
                                  pairs=fmt.count(len(programme.pairs), _("partenariat"))),
                              facts=_cover_facts(programme, matrix, phase, output.sidecar,
                                                 state=state),
                              fictitious=fictitious),
               assemble.COVER)]
    cells += assemble.mark_new_page([H(1, _("Résumé exécutif")), C(summary)])
    cells += assemble.mark_new_page([H(1, _("Contexte et méthode")), C(
        sections.context_method(programme, phase, programme.thresholds.as_parameters()))])
    cells += _synthesis_part(synthesis, "methode", _("Collecte des données"), output.reason,
                             0, 2)
    if synthesis is not None:
        analysis = [c for c in synthesis.cells
                    if not any(t.startswith("section:") for t in c.metadata.get("tags", []))]
        cells += assemble.mark_new_page(assemble.untitled_cells(
            assemble.new_report(title, analysis), -1, "programme"))
    else:
        cells += [H(1, _("Synthèse du programme")),
                  C(sections.unavailable(_("Synthèse du programme"), output.reason))]
    cells += assemble.mark_new_page(
        [H(1, _("Réponses aux questions d’évaluation")),
         *(assemble.shift_output_headings(assemble.section_cells(
             synthesis, "questions", 0, "programme", skip_heading=True), -1)
           if synthesis is not None else [])])
    cells += _synthesis_part(synthesis, "efficience", _("Efficience"), output.reason, 0, 2)
    chapters = [("cad", _("Appréciation globale (critères du CAD)")),
                ("objectif", _("Verdict sur l’objectif spécifique")),
                ("conclusions", _("Conclusions et recommandations du programme"))]
    chapters += _later_chapters(programme, phase)
    for section, label in chapters:
        cells += assemble.mark_new_page(_synthesis_part(synthesis, section, label,
                                                        output.reason))
    cells += assemble.mark_new_page([H(1, _("Annexes"))])
    cells += [H(2, _annex("A", _("Rapports des partenariats"))),
              C(sections.report_links(links)), H(2, _annex("B", _("Qualité des données")))]
    for letter, section, label in SYNTHESIS_ANNEXES:
        cells += [H(2, _annex(letter, _(label))),
                  *(assemble.section_cells(synthesis, section, 0, "programme",
                                           skip_heading=True) if synthesis is not None else [])]
    prov = collect([output])
    prov.runs += pair_setting_runs(programme, output.sidecar if output.available else None,
                                   launched)
    cells += [H(2, _annex("I", _("Paramètres et provenance"))),
              C(sections.provenance(prov, phase.summative)),
              H(2, _annex(SENSITIVITY_ANNEX, _("Sensibilité des statuts aux seuils"))),
              C(sensitivity_annex.programme_annex(
                  pair_results, {p.code: p.label for p in programme.pairs}, phase.summative))]
    cells += _changes_annex(state)
    return assemble.new_report(title, cells)
