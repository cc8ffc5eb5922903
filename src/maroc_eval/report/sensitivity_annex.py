"""The sensitivity annex of the reports: which statuses hold under other thresholds, which
change, and at what value (:mod:`maroc_eval.core.sensitivity` sweeps; this module says it).

A pair's report: one row per RI (its index, its status, then per threshold « stable » or the
nearest value at which the status changes and what it becomes), then the indicators whose status
would change. The programme's report: per pair, how many RI statuses hold and the nearest change;
and why ranks cannot flip (no threshold enters the overall index they follow).
"""

from __future__ import annotations

from ..base import fmt
from ..base.i18n import _, ngettext
from ..base.markup import render
from ..base.status import band, status_label
from ..core.sensitivity import (
    STEP,
    SWEEPS,
    Flip,
    StatusSensitivity,
    result_sensitivity,
    settings_of,
    sweep,
)
from ..core.setting_registry import SETTINGS

TEMPLATE = "fragments/sensitivity.html.j2"
SETTING_LABELS = {name: spec.label for name, spec in SETTINGS.items()}
"""Each setting's French label (a catalogue message, shown through ``_``)."""


def _pct(value: float) -> str:
    return fmt.percent(value, 0, ratio=True)


def _figure(value, flips: tuple[Flip, ...]) -> str:
    """An index to a tenth of a point (the sweep's steps are whole points), with a second
    decimal when the tenth would carry it across a threshold in use."""
    if value is None:
        return fmt.MISSING
    edges = [f.used for f in flips]
    pct = float(value) * 100
    for decimals in (1, 2):
        if band(round(pct, decimals) / 100, edges) == band(value, edges):
            return fmt.percent(pct, decimals)
    return fmt.achievement(value, edges)


def _flip_text(flip: Flip) -> str:
    """« stable » or « à 80 % : En retard » (each side where the status changes)."""
    if flip.stable:
        return _("stable")
    return " ; ".join(
        _("à {value} : {status}").format(value=_pct(side[0]), status=status_label(side[1]))
        for side in (flip.lower, flip.upper) if side is not None)


def setting_label(setting: str, summative: bool) -> str:
    """A threshold's name in the report's words (at a summative phase, « en bonne voie » is the
    « largement atteint » threshold)."""
    if summative and setting == "threshold_on_track":
        return _("Seuil « largement atteint »")
    return _(SETTING_LABELS[setting])


def _method(summative: bool) -> str:
    settings = settings_of(summative)
    ranges = ", ".join(_("{label} de {low} à {high}").format(
        label=setting_label(s, summative).lower(), low=_pct(SWEEPS[s][0]),
        high=_pct(SWEEPS[s][1]))
        for s in settings)
    return _("Chaque seuil est déplacé seul, par pas de {step}, sur une plage où le choix se "
             "discute ({ranges}) ; le statut est recalculé par la règle du rapport, à partir "
             "des mêmes réalisations. « stable » : le statut ne change nulle part sur la plage ; "
             "sinon, la valeur du seuil la plus proche de celle retenue, de part et d’autre, à "
             "laquelle il change, et ce qu’il devient.").format(
                 step=fmt.percent(STEP * 100, 0), ranges=ranges)


def pair_annex(ri_results: dict, summative: bool) -> str:
    """The annex of a pair's report (``ri_results``: RI code → its sidecar, or ``None``)."""
    settings = settings_of(summative)
    swept = []
    for ri, result in ri_results.items():
        if result is not None:
            data = result.model_dump() if hasattr(result, "model_dump") else dict(result)
            swept.append((ri, *result_sensitivity(data, summative)))
    used = next(({f.setting: f.used for f in found.flips} for _ri, found, _i in swept
                 if found.flips), {})
    header = [_("RI"), _("Indice"), _("Statut"),
              *(_("{label} (retenu : {value})").format(label=setting_label(s, summative),
                                                      value=_pct(used[s])) if s in used
                else setting_label(s, summative) for s in settings)]
    rows = [[ri.replace("RI", "RI" + fmt.NBSP), _figure(found.value, found.flips),
             status_label(found.status),
             *((_flip_text(f) for f in found.flips) if found.swept
               else (_("sans objet") for _s in settings))]
            for ri, found, _indicators in swept]
    indicators = [ind for _ri, _found, inds in swept for ind in inds]
    moving = [_indicator_row(ind, summative) for ind in indicators
              if ind.swept and not ind.stable]
    notes = [ngettext("Indicateurs : {stable} sur {n} gardent leur statut sur toutes les plages.",
                      "Indicateurs : {stable} sur {n} gardent leur statut sur toutes les plages.",
                      len(indicators)).format(stable=len(indicators) - len(moving),
                                              n=len(indicators))]
    html = str(render(TEMPLATE, "method", text=_method(summative))) + str(render(
        TEMPLATE, "table", header=header, rows=rows,
        caption=_("Statuts des résultats intermédiaires sous d’autres seuils"))) + str(
        render(TEMPLATE, "notes", lines=notes))
    if moving:
        html += str(render(TEMPLATE, "table", header=[
            _("Indicateur"), _("Réalisation"), _("Statut"), _("Seuil le plus proche"),
            _("Statut alors")], rows=moving,
            caption=_("Indicateurs dont le statut changerait sous un autre seuil")))
    return html


def _indicator_row(ind: StatusSensitivity, summative: bool = False) -> list[str]:
    """``[RI3.1, 91 %, Partiellement atteint, seuil « atteint » à 90 %, Atteint]``: an
    indicator, then the threshold nearest to it that would change its status, and that status."""
    nearest = min(((abs(side[0] - f.used), f, side) for f in ind.flips
                   for side in (f.lower, f.upper) if side is not None), key=lambda t: t[0])
    _distance, flip, (value, status) = nearest
    return [ind.subject, _figure(ind.value, ind.flips), status_label(ind.status),
            _("{setting} à {at}").format(setting=setting_label(flip.setting, summative),
                                         at=_pct(value)),
            status_label(status)]


def programme_annex(pair_results: dict, labels: dict[str, str], summative: bool) -> str:
    """The annex of the programme's report (``pair_results``: pair → its synthesis sidecar)."""
    settings = settings_of(summative)
    rows = []
    for pair, result in pair_results.items():
        if result is None:
            continue
        thresholds = {s: (result.parameters or {}).get(s) for s in SWEEPS}
        found = [sweep(result.ri_index.get(ri), thresholds, summative)
                 for ri in result.ri_index]
        stable = sum(f.stable for f in found)
        sides = [(abs(side[0] - flip.used), ri, flip, side)
                 for ri, f in zip(result.ri_index, found, strict=True) for flip in f.flips
                 for side in (flip.lower, flip.upper) if side is not None]
        if sides:
            _d, ri, flip, (value, status) = min(sides, key=lambda t: t[0])
            nearest = _("{ri} : {setting} à {at} → {after}").format(
                ri=ri.replace("RI", "RI" + fmt.NBSP),
                setting=setting_label(flip.setting, summative).lower(), at=_pct(value),
                after=status_label(status))
        else:
            nearest = _("aucun")
        rows.append([labels.get(pair, pair),
                     " ; ".join(_pct(thresholds[s] if thresholds[s] is not None else
                                     found[0].flips[i].used) for i, s in enumerate(settings)),
                     _("{stable} sur {n}").format(stable=stable, n=len(found)), nearest])
    header = [_("Partenariat"), " / ".join(setting_label(s, summative) for s in settings),
              _("Statuts des RI stables"), _("Changement le plus proche")]
    notes = [_("Les rangs ne dépendent d’aucun seuil : les partenariats sont classés par leur "
               "indice global, où aucun seuil n’entre ; un autre choix de seuils ne peut pas les "
               "inverser.")]
    return str(render(TEMPLATE, "method", text=_method(summative))) + str(render(
        TEMPLATE, "table", header=header, rows=rows,
        caption=_("Statuts des RI par partenariat sous d’autres seuils"))) + str(
        render(TEMPLATE, "notes", lines=notes))
