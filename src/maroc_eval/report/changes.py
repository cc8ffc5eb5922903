"""What changed since the last report, kept and said.

Each ``maroc-eval report`` keeps, per phase, the state its reports were made of: the results
(every sidecar of the phase) and the monitoring values up to the phase's year, each with the
file and line it was read at (``outputs/.etats/<phase>-courant.json``). When a later build
finds a different state, the former one becomes ``<phase>-precedent.json``; the page
``outputs/changements.html`` (linked from the index) lists what moved between the two — per pair:
figures, statuses and the team's grades; the data rows and settings responsible; the questions
whose written findings rest on an indicator that moved while their text did not.
``maroc-eval comparer`` says the same in the terminal, between the last report and the current
results (after an import and a run, before the next report).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..base import paths
from ..base.atomic import write_atomic
from ..base.fmt import typo
from ..base.i18n import N_, _, ngettext
from ..base.markup import render
from ..base.sidecar import SCHEMA_VERSION
from ..base.status import status_label
from ..core.result_changes import Comparison, compare_states, describe
from .provenance import PARAMETER_LABELS, shown_origin, shown_value

PAGE = f"{paths.INDEX_TEMPLATE}/changes.html.j2"
STATE_FORMAT = 1
KIND_LABELS = {"index": N_("indice"), "status": N_("statut"), "value": N_("valeur"),
               "grade": N_("note de l’équipe"), "rank": N_("classement")}
"""What moved, in words (catalogue messages, shown through ``_``)."""


def current_state(outputs: Path, phase: str, programme) -> dict:
    """The results of a phase as they are now in ``outputs`` and the values they rest on."""
    results, data_dir = {}, None
    root = Path(outputs) / phase
    for who in [*programme.pair_codes, "programme"]:
        folder = root / who
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.json")):
            try:
                data = json.loads(path.read_text("utf-8"))
            except (OSError, ValueError):
                continue  # the report's own checks say what is damaged
            if not isinstance(data, dict) or data.get("kind") not in ("ri", "pair", "programme"):
                continue
            results[f"{who}/{path.stem}"] = data
            data_dir = data_dir or (data.get("parameters") or {}).get("data_dir")
    return {"format": STATE_FORMAT, "schema": SCHEMA_VERSION, "phase": phase,
            "results": results, "values": _values(programme, phase, data_dir, outputs)}


def _values(programme, phase: str, data_dir: str | None, outputs: Path) -> list:
    """The monitoring values a phase sees, each with where it was read."""
    if not data_dir:
        return []
    from ..base.errors import EvaluationError
    from ..core.dataset import load_dataset

    folder = Path(data_dir)
    folder = folder if folder.is_absolute() else paths.PROJ_ROOT / folder
    try:  # from the run's cache of validated inputs when the data did not change since
        rows = load_dataset(Path(programme.source), folder,
                            cache_dir=paths.dataset_cache_dir(outputs)).observations
    except (EvaluationError, OSError):
        return []  # the data moved or broke since the run: the results are still compared
    rows = rows[rows["year"] <= programme.phases[phase].year]
    return [[r.pair, r.indicator, int(r.year), r.dimension, r.category, float(r.value),
             f"{r.file}:{r.line}"] for r in rows.itertuples(index=False)]


def read_state(outputs: Path, phase: str, which: str = "courant") -> dict | None:
    """A kept state (``None`` when there is none or it cannot be read)."""
    path = paths.reported_state_path(outputs, phase, which)
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == STATE_FORMAT else None


def remember(outputs: Path, phase: str, state: dict) -> bool:
    """Keep ``state`` as the last reported one; the former becomes the previous one when they
    differ. Returns whether it changed."""
    last = read_state(outputs, phase)
    if last is not None and last.get("results") == state["results"] \
            and last.get("values") == state["values"]:
        return False
    if last is not None:
        write_atomic(paths.reported_state_path(outputs, phase, "precedent"),
                     json.dumps(last, ensure_ascii=False))
    write_atomic(paths.reported_state_path(outputs, phase),
                 json.dumps(state, ensure_ascii=False))
    return True


def _pair_label(programme, who: str) -> str:
    if who == "programme":
        return _("Programme")
    pair = programme.pair_map.get(who)
    return pair.label if pair else who


def _subject(programme, subject: str) -> str:
    """« RI 3 » for a result, an indicator's or a question's code as it is, « ensemble » for
    the pair's overall figures."""
    if subject in programme.result_map:
        return subject.replace("RI", "RI ", 1)
    return subject or _("ensemble du partenariat")


def lines_of(comparison: Comparison, programme) -> dict[str, dict[str, list[str]]]:
    """The comparison in words, per pair: ``{pair label: {"resultats": […], "donnees": […],
    "reglages": […], "a_relire": […]}}``."""
    out: dict[str, dict[str, list[str]]] = {}

    def part(who: str, key: str) -> list[str]:
        entry = out.setdefault(_pair_label(programme, who), {
            "resultats": [], "donnees": [], "reglages": [], "a_relire": []})
        return entry[key]

    for change in comparison.results:
        subject = _subject(programme, change.subject)
        if change.kind in ("added", "removed"):
            text = (_("{subject} : nouveau résultat") if change.kind == "added"
                    else _("{subject} : résultat disparu")).format(subject=subject)
        else:
            text = _("{subject} — {what} : {before} → {after}").format(
                subject=subject, what=_(KIND_LABELS[change.kind]),
                before=describe(change.kind, change.before),
                after=describe(change.kind, change.after))
        part(change.who, "resultats").append(typo(text))
    for row in comparison.rows:
        pair, indicator, year, dimension, category = row.key
        place = f"{indicator} {year}"
        if dimension:
            dim = programme.dimensions.get(dimension)
            place += f" ({dim.categories.get(category, category) if dim else category})"
        file, _colon, line = row.where.rpartition(":")
        where = _("{file}, ligne {line}").format(file=file, line=line) if file else ""
        text = _("{place} : {before} → {after}").format(
            place=place, before=describe("value", row.before),
            after=describe("value", row.after))
        part(pair, "donnees").append(typo(f"{text} ({where})" if where else text))
    for setting in comparison.settings:
        label = _(PARAMETER_LABELS[setting.name]) if setting.name in PARAMETER_LABELS \
            else setting.name
        part(setting.who, "reglages").append(typo(_("{label} : {before} → {after} ({origin})")
                                                  .format(label=label,
                                                          before=shown_value(setting.name,
                                                                             setting.before),
                                                          after=shown_value(setting.name,
                                                                            setting.after),
                                                          origin=shown_origin(setting.origin))))
    for stale in comparison.stale:
        part(stale.who, "a_relire").append(typo(ngettext(
            "{question} : constats et réponse inchangés alors que {because} a bougé — à relire "
            "par l’équipe",
            "{question} : constats et réponse inchangés alors que {because} ont bougé — à relire "
            "par l’équipe", len(stale.because)).format(
                question=stale.question,
                because=", ".join(_subject(programme, c) for c in stale.because))))
    return out


def compare_with_last_report(outputs: Path, phase: str, programme, matrix) -> Comparison | None:
    """The current results against the last report's (``None``: no report kept yet)."""
    last = read_state(outputs, phase)
    if last is None:
        return None
    return compare_states(phase, last, current_state(outputs, phase, programme), programme,
                          matrix)


def write_changes_page(outputs: Path, programme, matrix, phases: list[str]) -> Path:
    """Write ``outputs/changements.html``: per phase, what moved between the last two reports."""
    sections = []
    for phase in phases:
        before, after = read_state(outputs, phase, "precedent"), read_state(outputs, phase)
        if after is None:
            continue
        comparison = None if before is None else compare_states(phase, before, after,
                                                                programme, matrix)
        sections.append({
            "code": phase, "label": programme.phases[phase].label,
            "first": before is None,
            "pairs": [] if comparison is None else sorted(
                lines_of(comparison, programme).items()),
        })
    target = paths.changes_page_path(outputs)
    write_atomic(target, str(render(PAGE, programme_name=programme.name, phases=sections,
                                    status_label=status_label)))
    return target
