"""HTML of the report sections the toolkit writes itself: cover, summary, method, annexes.

Every text that comes from the programme, the sidecars, the judgements, the ledger or the data
is escaped (through :mod:`maroc_eval.notebook.tables` or :func:`html.escape`); only the markup is ours.
"""

from __future__ import annotations

import html

from .. import fmt
from ..catalogue import RI_NOTEBOOKS
from ..fmt import typo
from ..ledger import RUN_LABELS
from ..notebook import tables
from ..sidecar import RIResult
from ..status import STATUS_LABELS
from .provenance import Provenance

STATUS_TEXT = {**STATUS_LABELS, "indisponible": "Indisponible"}


def esc(text) -> str:
    """Escape a value for HTML (``None`` → empty)."""
    return tables.esc(text)


def status_badge(status: str | None) -> str:
    """A coloured status label; unknown codes show as « non renseigné »."""
    code = status if status in STATUS_TEXT else "non_renseigne"
    return f'<span class="rapport-statut rapport-statut-{code}">{esc(STATUS_TEXT[code])}</span>'


def unavailable(title: str, reason: str) -> str:
    """The notice shown instead of a section that could not be produced."""
    return (f'<div class="rapport-indisponible"><strong>{esc(title)}</strong> — '
            f"{esc(typo('Section indisponible : '))}{esc(reason)}</div>")


def cover(*, programme: str, title: str, subtitle: str, facts: list[tuple[str, str]],
          fictitious: bool) -> str:
    """The cover page: programme, title, subtitle, facts (label, value) and the sample notice."""
    items = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts)
    notice = (f'<p class="rapport-fictif" role="note">{esc(typo("Données fictives : "))}'
              "ce rapport est produit à partir de l’échantillon de démonstration ; il ne décrit "
              "aucune commune réelle.</p>") if fictitious else ""
    return (f'<section class="rapport-couverture"><p class="rapport-programme">{esc(programme)}</p>'
            f'<p class="rapport-titre">{esc(title)}</p>'
            f'<p class="rapport-sous-titre">{esc(subtitle)}</p><dl>{items}</dl>{notice}</section>')


def _ri_title(ri: str, programme) -> str:
    result = programme.result_map.get(ri)
    return result.title if result else ri


def pair_summary(programme, pair_result, ri_results: dict[str, RIResult | None],
                 reasons: dict[str, str]) -> str:
    """Executive summary: overall status, the RI statuses and the key recommendations."""
    parts = []
    if pair_result is not None:
        parts.append(f"<p>{esc(typo('Appréciation d’ensemble : '))}"
                     f"{status_badge(pair_result.overall_status)} — indice global "
                     f"{esc(fmt.achievement(pair_result.overall_index))}.</p>")
    rows = []
    for spec in RI_NOTEBOOKS:
        result = ri_results.get(spec.ri)
        if result is None:
            rows.append([spec.ri.replace("RI", "RI\u00a0"), _ri_title(spec.ri, programme), "—",
                         tables.Cell("Indisponible", cls="rapport-statut-indisponible"),
                         reasons.get(spec.ri, "—")])
            continue
        rows.append([spec.ri.replace("RI", "RI\u00a0"), _ri_title(spec.ri, programme),
                     fmt.achievement(result.index),
                     tables.Cell(STATUS_TEXT.get(result.status, result.status),
                                 cls=f"rapport-statut-{result.status}"),
                     result.judgement.score or "—"])
    parts.append(str(tables.table(["RI", "Résultat intermédiaire", "Indice", "Statut",
                                   "Note / remarque"], rows, caption="État des résultats "
                                  "intermédiaires", cls="rapport-table")))
    order = {s: i for i, s in enumerate(("critique", "en_retard", "non_renseigne",
                                         "en_bonne_voie", "atteint"))}
    ranked = sorted((r for r in ri_results.values() if r is not None),
                    key=lambda r: order.get(r.status, 9))
    key = [f"{r.ri.replace('RI', 'RI ')} — {rec}" for r in ranked
           for rec in r.judgement.recommendations[:1]]
    parts.append(str(tables.bullets(key, title="Recommandations clés",
                                    empty="Aucune recommandation formulée.")))
    return "".join(parts)


def context_method(programme, phase, thresholds: dict, pair=None) -> str:
    """Context (programme, pair), objective and method: achievement formula and thresholds."""
    facts = [("Programme", programme.name), ("Bailleur", programme.donor),
             ("Période", f"{programme.period[0]}–{programme.period[1]}"),
             ("Phase", f"{phase.label} ({phase.nature}), année de référence {phase.year}"),
             ("Année de base", str(programme.baseline_year))]
    if pair is not None:
        facts += [("Partenariat", pair.label), ("Province", pair.province),
                  ("Population (RGPH 2004)", fmt.number(pair.population, 0))]
    met, on_track, late = (thresholds.get(k) for k in ("met", "on_track", "late"))
    bands = [f"atteint : réalisation ≥ {fmt.achievement(met)}",
             f"en bonne voie : ≥ {fmt.achievement(on_track)}",
             f"en retard : ≥ {fmt.achievement(late)}",
             f"critique : en dessous de {fmt.achievement(late)}",
             "non renseigné : valeur manquante"]
    scale = [f"{r.code} : {r.label}" for r in programme.scale]
    return "".join([
        "<h4>Contexte</h4>", str(tables.paragraphs(programme.context, cls="rapport-texte")),
        "<h4>Objectif spécifique</h4>", str(tables.paragraphs(programme.objective,
                                                              cls="rapport-texte")),
        str(tables.key_values(facts, cls="rapport-kv")),
        "<h4>Méthode</h4>",
        f"<p>{esc(typo('Le taux de réalisation d’un indicateur est (valeur − base) / (cible − base), '))}"
        f"{esc(typo('calculé dans le sens de l’indicateur (un indicateur à la baisse progresse quand '))}"
        f"{esc(typo('il diminue) ; une cible égale à la base est atteinte dès que la valeur y parvient. '))}"
        f"{esc(typo('L’indice d’un résultat intermédiaire est la moyenne des réalisations plafonnées à 100 %.'))}"
        "</p>",
        str(tables.bullets([typo(b) for b in bands], title="Seuils de statut retenus")),
        str(tables.bullets([typo(s) for s in scale], title="Échelle des appréciations")),
    ])


def limits(ri_results: dict[str, RIResult | None], sources: list[str],
           reasons: dict[str, str]) -> str:
    """Limits of the analysis: missing years per indicator, sections unavailable, sources."""
    missing = [f"{row.code} ({row.label}) : {', '.join(str(y) for y in row.missing_years)}"
               for r in ri_results.values() if r is not None
               for row in r.indicators if row.missing_years]
    blank = [f"{row.code} ({row.label})" for r in ri_results.values() if r is not None
             for row in r.indicators if row.actual is None]
    lost = [f"{ri.replace('RI', 'RI ')} : {why}" for ri, why in reasons.items()]
    return "".join([
        "<h4>Limites</h4>",
        str(tables.bullets([typo(m) for m in missing], title="Années manquantes par indicateur",
                           empty="Aucune année manquante.")),
        str(tables.bullets(blank, title="Indicateurs sans valeur à l’année de référence",
                           empty="Aucun.")),
        str(tables.bullets(lost, title="Sections indisponibles", empty="Aucune.")),
        str(tables.bullets(sources, title="Sources des données", empty="Sources non disponibles.")),
    ])


def logframe_table(ri_results: dict[str, RIResult | None], baseline_year: int, year: int) -> str:
    """Annex: every indicator with baseline, target, value, achievement and status."""
    rows = []
    for r in ri_results.values():
        if r is None:
            continue
        for row in r.indicators:
            rows.append([row.code, row.label, row.unit, "↑" if row.direction == "hausse" else "↓",
                         fmt.number(row.baseline, 2), fmt.number(row.target, 2),
                         fmt.number(row.actual, 2), fmt.achievement(row.achievement_raw),
                         tables.Cell(STATUS_TEXT.get(row.status, row.status),
                                     cls=f"rapport-statut-{row.status}")])
    return str(tables.table(["Code", "Indicateur", "Unité", "Sens", f"Base {baseline_year}",
                             f"Cible {year}", f"Valeur {year}", "Réalisation", "Statut"],
                            rows, caption="Cadre logique : base, cible, valeur et réalisation",
                            cls="rapport-table"))


def data_quality(ri_results: dict[str, RIResult | None], entries: dict[str, dict],
                 comments: list[tuple[str, str, str]]) -> str:
    """Annex: coverage per RI, run status of each notebook and the communes' comments."""
    coverage = [[r.ri.replace("RI", "RI\u00a0"), fmt.achievement(r.coverage)]
                for r in ri_results.values() if r is not None]
    runs = [[key.split("/", 1)[-1], RUN_LABELS.get(e.get("status"), e.get("status", "—")),
             fmt.number(e.get("duration"), 1) + " s" if e.get("duration") is not None else "—",
             " : ".join(str(x) for x in (e.get("ename"), e.get("evalue")) if x) or "—"]
            for key, e in sorted(entries.items())]
    return "".join([
        str(tables.table(["RI", "Indicateurs renseignés"], coverage,
                         caption="Couverture des données", cls="rapport-table")),
        str(tables.table(["Carnet", "Statut", "Durée", "Erreur"], runs,
                         caption="Journal d’exécution", cls="rapport-table")) if runs else "",
        str(tables.table(["Indicateur", "Année", "Commentaire"], comments,
                         caption="Commentaires des communes", cls="rapport-table"))
        if comments else "<p><em>Aucun commentaire transmis par les communes.</em></p>",
    ])


def provenance(prov: Provenance) -> str:
    """Annex: version, commit, dates, data files with their SHA-256 and parameters used."""
    start, end = prov.run_dates
    facts = [("Version de maroc-eval", prov.version), ("Commit git", prov.commit),
             ("Exécution des carnets", f"{start or '—'} → {end or '—'}"),
             ("Rapport produit le", prov.built),
             ("Dossier(s) de données", ", ".join(prov.data_dirs) or "—")]
    files = [[f.name, fmt.number(f.size, 0) + " o", tables.Cell(f.sha256, cls="rapport-hash")]
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
    return "".join([
        str(tables.key_values(facts, cls="rapport-kv")),
        str(tables.table(["Fichier", "Taille", "SHA-256"], files, caption="Fichiers de données",
                         cls="rapport-table")),
        str(tables.table(["Carnet", "Paramètre", "Valeur", "Origine"], params,
                         caption="Paramètres résolus", cls="rapport-table")),
    ])


def link(href: str, text: str) -> str:
    """An escaped relative link."""
    return f'<a href="{html.escape(href, quote=True)}">{esc(text)}</a>'
