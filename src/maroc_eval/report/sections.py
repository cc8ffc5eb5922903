"""The report sections the toolkit writes itself: cover, summary, method, limits, annexes.

The markup and the wording are in ``templates/fragments/sections.html.j2`` (its tables and lists
from ``blocks.html.j2``); these functions gather the data from the programme, the sidecars, the
team's appraisals and the ledger, and render it through :func:`maroc_eval.base.markup.render`, which
escapes every value: only the templates' markup is trusted. Texts are French, the source language,
translated through :mod:`maroc_eval.base.i18n` where they are shown.
"""

from __future__ import annotations

from ..base import fmt, typography
from ..base.catalogue import BATTERY, RI_NOTEBOOKS
from ..base.fmt import NBSP, typo
from ..base.i18n import N_, _, ngettext
from ..base.markup import Cell, render
from ..base.sidecar import PairResult, RIResult
from ..base.signature import CHANGED, SIGNED
from ..base.signed_changes import change_lines, change_summary
from ..base.status import STATUS_LABELS, nature_label
from ..core.setting_registry import THRESHOLD_NAMES
from .provenance import (
    PARAMETER_LABELS,
    PATH_PARAMETERS,
    UNKNOWN,
    Provenance,
    shown_origin,
    shown_value,
)

STATUS_TEXT = {**STATUS_LABELS, "indisponible": N_("Indisponible")}
"""French status labels (catalogue messages: shown through ``_``)."""
SECTIONS = "fragments/sections.html.j2"
BLOCKS = "fragments/blocks.html.j2"


def _section(macro: str, **data) -> str:
    return str(render(SECTIONS, macro, **data))


def badge(status: str | None) -> dict[str, str]:
    """The data of a status badge: CSS code and label (unknown codes: « non renseigné »)."""
    code = status if status in STATUS_TEXT else "non_renseigne"
    return {"code": code, "label": _(STATUS_TEXT[code])}


def status_badge(status: str | None) -> str:
    """A coloured status label; unknown codes show as « non renseigné »."""
    return _section("status_badge", **badge(status))


def _status_cell(status: str) -> Cell:
    return Cell(_(STATUS_TEXT[status]) if status in STATUS_TEXT else status,
                cls=f"rapport-statut-{status}")


def _ri(code: str, space: str = NBSP) -> str:
    return code.replace("RI", "RI" + space)


def unavailable(title: str, reason: str) -> str:
    """The notice shown instead of a section that could not be produced."""
    return _section("unavailable", title=title, reason=reason)


def cover(*, programme: str, title: str, subtitle: str, facts: list[tuple[str, str]],
          fictitious: bool, arabic: str | None = None) -> str:
    """The cover page: programme, title, subtitle, facts (label, value) and the sample notice;
    ``arabic``: the Moroccan commune's name in Arabic script, shown under the subtitle
    (``<span lang="ar" dir="rtl">``)."""
    return _section("cover", programme=programme, title=title, subtitle=subtitle, facts=facts,
                    fictitious=fictitious, arabic=arabic)


def _ri_title(ri: str, programme) -> str:
    result = programme.result_map.get(ri)
    return result.title if result else ri


def key_recommendations(result, matrix=None) -> list[str]:
    """The team's numbered recommendations, most urgent first, with addressee and deadline
    (« R2 — … (Commune marocaine ; priorité haute ; échéance : 31 décembre 2011) »)."""
    if result is None:
        return []
    order = {"haute": 0, "moyenne": 1, "basse": 2}
    addressees = matrix.addressees if matrix is not None else {}
    priorities = matrix.priorities if matrix is not None else {}
    return [_("{id} — {text} ({addressee} ; priorité {priority} ; échéance : {deadline}).")
            .format(id=r.id, text=r.text.rstrip(' .'),
                    addressee=addressees.get(r.addressee, r.addressee),
                    priority=priorities.get(r.priority, r.priority).lower(),
                    deadline=fmt.long_date(r.deadline))
            for r in sorted(result.recommendations, key=lambda r: order.get(r.priority, 9))]


def objective_verdict(programme, result) -> dict:
    """The team's verdict on the objective as the summary shows it: ``label`` (« B — Bon »,
    or ``None`` when not given yet) and their ``text``."""
    labels = {r.code: r.label for r in programme.scale}
    grade = getattr(result, "objective", None)
    score = grade.score if grade else None
    return {"label": f"{score} — {labels[score]}" if score in labels else None,
            "text": grade.text if grade else ""}


def version_state(result, signature=None) -> str:
    """The state of a report's version, for its cover: signed, changed since its signed
    version, complete, or a working version with its places to complete and its open checks.

    ``signature`` is the report's :class:`~maroc_eval.base.signature.VersionState` (``None``: no
    signed version considered). Signed: « signée le 28 février 2013 par Nadia Berrada
    (cheffe de mission) », the signing date as recorded. Changed since: « projet, non signé
    (modifications depuis la version 1.0 signée : …) », the details in an annex.
    """
    if signature is not None and signature.kind == SIGNED:
        sig = signature.signature
        people = [f"{s.name} ({_(s.role)})" if s.role else s.name for s in sig.signatories]
        return _("signée le {date} par {names}").format(
            date=fmt.long_date(sig.signed_on),
            names=_(" et ").join([", ".join(people[:-1]), people[-1]]) if len(people) > 1
            else people[0])
    if signature is not None and signature.kind == CHANGED:
        details = _draft_details(result)
        since = _("modifications depuis la version {version} signée : {changes}").format(
            version=signature.changes.since, changes=change_summary(signature.changes))
        if details:
            since = _("{draft} ; {changes}").format(draft=", ".join(details), changes=since)
        return _("projet, non signé ({details})").format(details=since)
    if result is None:
        return _("version de travail : la synthèse n’est pas disponible")
    parts = _draft_details(result)
    if not parts:
        return _("version complète, non signée")
    return _("version de travail, non signée ({details})").format(details=", ".join(parts))


def _draft_details(result) -> list[str]:
    """The places still to complete and the open checks of a draft, in words."""
    if result is None:
        return [_("la synthèse n’est pas disponible")]
    blanks = len(result.blanks)
    open_checks = sum(1 for c in result.checks if not c.answer)
    parts = []
    if blanks:
        parts.append(ngettext("{n} place à compléter par l’équipe",
                              "{n} places à compléter par l’équipe", blanks).format(n=blanks))
    if open_checks:
        parts.append(ngettext("{n} contrôle ouvert", "{n} contrôles ouverts",
                              open_checks).format(n=open_checks))
    return parts


def version_changes(state) -> str:
    """Annex: what changed since the signed version, input by input, with the places of the
    team's appraisal that changed (``state``: a changed :class:`~maroc_eval.base.signature.
    VersionState`)."""
    return _section("version_changes", since=state.changes.since,
                    lines=change_lines(state.changes))


def pair_summary(programme, pair_result: PairResult | None,
                 ri_results: dict[str, RIResult | None], reasons: dict[str, str],
                 matrix=None, edges=()) -> str:
    """Executive summary: overall status, the verdict on the objective, the RI statuses and
    the numbered recommendations (``edges``: the phase's status thresholds, so that an index
    is never rounded across its status's band: 99,6 % is never shown « 100 % »)."""
    overall = None if pair_result is None else {  # in a sentence: « …: en bonne voie »
        "badge": {**badge(pair_result.overall_status),
                  "label": badge(pair_result.overall_status)["label"].lower()},
        "index": fmt.achievement(pair_result.overall_index, edges),
        "objective": objective_verdict(programme, pair_result)}
    rows = []
    for spec in RI_NOTEBOOKS:
        result = ri_results.get(spec.ri)
        if result is None:
            rows.append([_ri(spec.ri), _ri_title(spec.ri, programme), "—",
                         Cell(_("Indisponible"), cls="rapport-statut-indisponible"),
                         reasons.get(spec.ri, "—")])
            continue
        rows.append([_ri(spec.ri), _ri_title(spec.ri, programme),
                     fmt.achievement(result.index, edges),
                     _status_cell(result.status),
                     result.grade.score or Cell(_("à compléter"), cls="me-a-completer")])
    return _section("pair_summary", overall=overall, rows=rows,
                    recommendations=key_recommendations(pair_result, matrix))


def programme_summary(programme, pair_results: dict[str, PairResult | None],
                      programme_result=None, matrix=None, edges=()) -> str:
    """Executive summary of the programme: the verdict on the objective, each pair's overall
    status, index and verdict, the programme's numbered recommendations."""
    labels = {r.code: r.label for r in programme.scale}
    rows = [[programme.pair_map[p].label,
             _status_cell(r.overall_status) if r else _("Indisponible"),
             fmt.achievement(r.overall_index, edges) if r else "—",
             (f"{r.objective.score} — {labels[r.objective.score]}"
              if r and r.objective.score in labels
              else Cell(_("à compléter"), cls="me-a-completer"))]
            for p, r in pair_results.items()]
    return _section("programme_summary", rows=rows,
                    objective=objective_verdict(programme, programme_result),
                    recommendations=key_recommendations(programme_result, matrix))


def context_method(programme, phase, thresholds: dict, pair=None) -> str:
    """Context (programme, pair), objective and method: achievement formula and thresholds."""
    facts = [(_("Programme"), programme.name), (_("Bailleur"), programme.donor),
             (_("Période"), f"{programme.period[0]}–{programme.period[1]}"),
             (_("Phase"), _("{phase} ({nature}), année de référence {year}").format(
                 phase=phase.label, nature=nature_label(phase.nature), year=phase.year)),
             (_("Année de base"), str(programme.baseline_year))]
    if pair is not None:
        facts += [(_("Partenariat"), pair.label), (_("Province"), pair.province),
                  (_("Population (RGPH 2004)"), fmt.number(pair.population, 0))]
    met, on_track, late = (fmt.achievement(thresholds.get(k)) for k in THRESHOLD_NAMES)
    bands = ([_("atteint : réalisation ≥ {met}").format(met=met),
              _("largement atteint : ≥ {on_track}").format(on_track=on_track),
              _("partiellement atteint : ≥ {late}").format(late=late),
              _("non atteint : en dessous de {late}").format(late=late),
              _("non renseigné : valeur manquante")] if phase.summative else
             [_("atteint : réalisation ≥ {met}").format(met=met),
              _("en bonne voie : ≥ {on_track}").format(on_track=on_track),
              _("en retard : ≥ {late}").format(late=late),
              _("critique : en dessous de {late}").format(late=late),
              _("non renseigné : valeur manquante")])
    scale = [f"{r.code} : {fmt.after_colon(r.label)}" for r in programme.scale]
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


def logframe_table(ri_results: dict[str, RIResult | None], baseline_year: int, year: int,
                   edges=()) -> str:
    """Annex: every indicator with baseline, target, value, achievement and status (the
    achievement never rounded across its status's band: ``edges``)."""
    rows = [[row.code, row.label, row.unit, "↑" if row.direction == "hausse" else "↓",
             fmt.number(row.baseline, 2), fmt.target(row.target, "nombre"),
             fmt.number(row.actual, 2),
             fmt.achievement(row.achievement_raw, edges), _status_cell(row.status)]
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
    return _section("data_quality", coverage=coverage,
                    comments=typography.quoted_comments(comments))


def _data_file_name(name: str, folders: list[str]) -> str:
    """A data file's name inside its data folder (« suivi.csv »), never the machine's path."""
    for folder in folders:
        prefix = folder.rstrip("/") + "/"
        if name.startswith(prefix):
            return name.removeprefix(prefix)
    return name.rsplit("/", 1)[-1]


def provenance(prov: Provenance, summative: bool = False) -> str:
    """Annex: version, commit, dates, data files with their SHA-256 and the parameters used,
    as a reader reads them (French label, value in words or percent, origin in words): no
    technical name nor path (``summative``: a final phase, whose « en bonne voie » threshold is
    the « largement atteint » one)."""
    start, end = prov.run_dates
    commit = _(UNKNOWN) if prov.commit == UNKNOWN else prov.commit
    facts = [(_("Version de maroc-eval"), prov.version), (_("Commit git"), commit),
             (_("Calculs exécutés"), _("du {start} au {end}").format(
                 start=typography.when(start), end=typography.when(end))),
             (_("Rapport produit le"), typography.when(prov.built))]
    files = [[_data_file_name(f.name, prov.data_dirs), fmt.number(f.size, 0) + NBSP + _("o"),
              Cell(f.sha256, cls="rapport-hash")] for f in prov.data_files]
    labels = {**PARAMETER_LABELS}
    if summative:
        labels["threshold_on_track"] = N_("Seuil « largement atteint »")
    chapters = {spec.stem: _(spec.title) for spec in BATTERY}
    order = {name: i for i, name in enumerate(PARAMETER_LABELS)}
    params = []
    for name in sorted({n for run in prov.runs for n in run.parameters
                        if n not in PATH_PARAMETERS},
                       key=lambda n: (order.get(n, len(order)), n)):
        values = {_chapter(run, chapters): (repr(run.parameters[name]), run.parameters[name],
                                            run.origins.get(name))
                  for run in prov.runs if name in run.parameters}
        label = _(labels[name]) if name in labels else name
        concerned = [run for run in prov.runs if run.who is None or name in run.parameters]
        if len({(v[0], v[2]) for v in values.values()}) == 1 and len(values) == len(concerned):
            _raw, value, origin = next(iter(values.values()))
            params.append([_("tous les chapitres"), label, shown_value(name, value),
                           shown_origin(origin)])
        else:
            params += [[chapter, label, shown_value(name, value), shown_origin(origin)]
                       for chapter, (_raw, value, origin) in values.items()]
    return _section("provenance", facts=facts, files=files, parameters=params)


def _chapter(run, chapters: dict[str, str]) -> str:
    """Who a parameter row speaks of: a chapter (« RI 3 — … »), or a pair as a programme
    synthesis judged it (« Partenariat Jette – Sidi Bibi »)."""
    if run.who:
        return _("Partenariat {pair}").format(pair=run.who)
    return chapters.get(run.stem, run.stem)


def report_links(links: dict[str, str]) -> str:
    """The list of the pair reports a programme report links to (``links``: label → href)."""
    return _section("report_links", links=list(links.items()))


def link(href: str, text: str) -> str:
    """An escaped relative link."""
    return str(render(BLOCKS, "link", href=href, text=text))
