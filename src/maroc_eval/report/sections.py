"""The report sections the toolkit writes itself: cover, summary, method, limits, annexes.

The markup and the wording are in ``templates/fragments/sections.html.j2`` (its tables and lists
from ``blocks.html.j2``); these functions gather the data from the programme, the sidecars, the
judgements and the ledger, and render it through :func:`maroc_eval.markup.render`, which escapes
every value: only the templates' markup is trusted.
"""

from __future__ import annotations

from .. import fmt
from ..catalogue import RI_NOTEBOOKS
from ..fmt import NBSP, typo
from ..markup import Cell, render
from ..sidecar import PairResult, RIResult
from ..status import STATUS_LABELS
from .provenance import Provenance

STATUS_TEXT = {**STATUS_LABELS, "indisponible": "Indisponible"}
SECTIONS = "fragments/sections.html.j2"
BLOCKS = "fragments/blocks.html.j2"


def _section(macro: str, **data) -> str:
    return str(render(SECTIONS, macro, **data))


def badge(status: str | None) -> dict[str, str]:
    """The data of a status badge: CSS code and label (unknown codes: « non renseigné »)."""
    code = status if status in STATUS_TEXT else "non_renseigne"
    return {"code": code, "label": STATUS_TEXT[code]}


def status_badge(status: str | None) -> str:
    """A coloured status label; unknown codes show as « non renseigné »."""
    return _section("status_badge", **badge(status))


def _status_cell(status: str) -> Cell:
    return Cell(STATUS_TEXT.get(status, status), cls=f"rapport-statut-{status}")


def _ri(code: str, space: str = NBSP) -> str:
    return code.replace("RI", "RI" + space)


def unavailable(title: str, reason: str) -> str:
    """The notice shown instead of a section that could not be produced."""
    return _section("unavailable", title=title, reason=reason)


def cover(*, programme: str, title: str, subtitle: str, facts: list[tuple[str, str]],
          fictitious: bool) -> str:
    """The cover page: programme, title, subtitle, facts (label, value) and the sample notice."""
    return _section("cover", programme=programme, title=title, subtitle=subtitle, facts=facts,
                    fictitious=fictitious)


def _ri_title(ri: str, programme) -> str:
    result = programme.result_map.get(ri)
    return result.title if result else ri


def pair_summary(programme, pair_result: PairResult | None,
                 ri_results: dict[str, RIResult | None], reasons: dict[str, str]) -> str:
    """Executive summary: overall status, the RI statuses and the key recommendations."""
    overall = None if pair_result is None else {
        "badge": badge(pair_result.overall_status),
        "index": fmt.achievement(pair_result.overall_index)}
    rows = []
    for spec in RI_NOTEBOOKS:
        result = ri_results.get(spec.ri)
        if result is None:
            rows.append([_ri(spec.ri), _ri_title(spec.ri, programme), "—",
                         Cell("Indisponible", cls="rapport-statut-indisponible"),
                         reasons.get(spec.ri, "—")])
            continue
        rows.append([_ri(spec.ri), _ri_title(spec.ri, programme), fmt.achievement(result.index),
                     _status_cell(result.status), result.judgement.score or "—"])
    order = {s: i for i, s in enumerate(("critique", "en_retard", "non_renseigne",
                                         "en_bonne_voie", "atteint"))}
    ranked = sorted((r for r in ri_results.values() if r is not None),
                    key=lambda r: order.get(r.status, 9))
    key = [f"{_ri(r.ri, ' ')} — {rec}" for r in ranked for rec in r.judgement.recommendations[:1]]
    return _section("pair_summary", overall=overall, rows=rows, recommendations=key)


def programme_summary(programme, pair_results: dict[str, PairResult | None]) -> str:
    """Executive summary of the programme: each pair's overall status and index."""
    rows = [[programme.pair_map[p].label,
             _status_cell(r.overall_status) if r else "Indisponible",
             fmt.achievement(r.overall_index) if r else "—"]
            for p, r in pair_results.items()]
    return _section("programme_summary", rows=rows)


def context_method(programme, phase, thresholds: dict, pair=None) -> str:
    """Context (programme, pair), objective and method: achievement formula and thresholds."""
    facts = [("Programme", programme.name), ("Bailleur", programme.donor),
             ("Période", f"{programme.period[0]}–{programme.period[1]}"),
             ("Phase", f"{phase.label} ({phase.nature}), année de référence {phase.year}"),
             ("Année de base", str(programme.baseline_year))]
    if pair is not None:
        facts += [("Partenariat", pair.label), ("Province", pair.province),
                  ("Population (RGPH 2004)", fmt.number(pair.population, 0))]
    met, on_track, late = (thresholds.get(k) for k in
                           ("threshold_met", "threshold_on_track", "threshold_late"))
    bands = [f"atteint : réalisation ≥ {fmt.achievement(met)}",
             f"en bonne voie : ≥ {fmt.achievement(on_track)}",
             f"en retard : ≥ {fmt.achievement(late)}",
             f"critique : en dessous de {fmt.achievement(late)}",
             "non renseigné : valeur manquante"]
    scale = [f"{r.code} : {r.label}" for r in programme.scale]
    return _section("context_method", context=programme.context, objective=programme.objective,
                    facts=facts, bands=[typo(b) for b in bands], scale=[typo(s) for s in scale])


def limits(ri_results: dict[str, RIResult | None], sources: list[str],
           reasons: dict[str, str]) -> str:
    """Limits of the analysis: missing years per indicator, sections unavailable, sources."""
    missing = [f"{row.code} ({row.label}) : {', '.join(str(y) for y in row.missing_years)}"
               for r in ri_results.values() if r is not None
               for row in r.indicators if row.missing_years]
    blank = [f"{row.code} ({row.label})" for r in ri_results.values() if r is not None
             for row in r.indicators if row.actual is None]
    lost = [f"{_ri(ri, ' ')} : {why}" for ri, why in reasons.items()]
    return _section("limits", missing=[typo(m) for m in missing], blank=blank, lost=lost,
                    sources=sources)


def logframe_table(ri_results: dict[str, RIResult | None], baseline_year: int, year: int) -> str:
    """Annex: every indicator with baseline, target, value, achievement and status."""
    rows = [[row.code, row.label, row.unit, "↑" if row.direction == "hausse" else "↓",
             fmt.number(row.baseline, 2), fmt.number(row.target, 2), fmt.number(row.actual, 2),
             fmt.achievement(row.achievement_raw), _status_cell(row.status)]
            for r in ri_results.values() if r is not None for row in r.indicators]
    return _section("logframe", rows=rows, baseline_year=baseline_year, year=year)


def spreadsheet_link(href: str) -> str:
    """The line linking an annex to its spreadsheet version (« Version tableur : … »)."""
    return _section("spreadsheet_link", href=href)


def data_quality(ri_results: dict[str, RIResult | None],
                 comments: list[tuple[str, str, str]]) -> str:
    """Annex: coverage per RI and the communes' comments (the sections that could not be
    produced are in the limits; how the notebooks ran is the index's and the ledger's)."""
    coverage = [[_ri(r.ri), fmt.achievement(r.coverage)]
                for r in ri_results.values() if r is not None]
    return _section("data_quality", coverage=coverage, comments=comments)


def provenance(prov: Provenance) -> str:
    """Annex: version, commit, dates, data files with their SHA-256 and parameters used."""
    start, end = prov.run_dates
    facts = [("Version de maroc-eval", prov.version), ("Commit git", prov.commit),
             ("Exécution des carnets", f"{start or '—'} → {end or '—'}"),
             ("Rapport produit le", prov.built),
             ("Dossier(s) de données", ", ".join(prov.data_dirs) or "—")]
    files = [[f.name, fmt.number(f.size, 0) + " o", Cell(f.sha256, cls="rapport-hash")]
             for f in prov.data_files]
    params = []
    names = sorted({n for run in prov.runs for n in run.parameters})
    for name in names:
        values = {run.stem: (repr(run.parameters[name]), str(run.origins.get(name, "—")))
                  for run in prov.runs if name in run.parameters}
        if len(set(values.values())) == 1 and len(values) == len(prov.runs):
            value, origin = next(iter(values.values()))
            params.append(["tous les carnets", name, value, origin])
        else:
            params += [[stem, name, value, origin] for stem, (value, origin) in values.items()]
    return _section("provenance", facts=facts, files=files, parameters=params)


def report_links(links: dict[str, str]) -> str:
    """The list of the pair reports a programme report links to (``links``: label → href)."""
    return _section("report_links", links=list(links.items()))


def link(href: str, text: str) -> str:
    """An escaped relative link."""
    return str(render(BLOCKS, "link", href=href, text=text))
