"""Build the evaluation reports: one offline HTML per pair and phase, a programme report per phase,
an Excel annex per pair and phase, and ``outputs/index.html``.

Each report joins executed notebooks (:mod:`maroc_eval.report.notebooks`) and is exported by
nbconvert's :class:`~nbconvert.HTMLExporter` (:mod:`maroc_eval.report.exporter`) with the
``rapport`` template of ``templates/``; the exporter is created once per build and shared by
all reports.
Only reports whose inputs changed are exported again (:mod:`maroc_eval.report.keys`), side by
side on the machine's cores (:mod:`maroc_eval.report.pool`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import fmt, paths
from ..atomic import write_atomic
from ..catalogue import RI_NOTEBOOKS
from ..core.programme import load_programme
from ..errors import OutputError, ParameterError, display_path
from ..ledger import RunLock
from . import keys as report_keys
from .index_page import PairRow, PhaseIndex, write_index
from .inputs import PairInputs, load_pair, load_programme_output, read_ledger
from .pool import run_tasks


def _export(exporter, nb, target: Path, key: str) -> list[str]:
    nb.metadata["maroc_eval"] = {"inputs": key}  # stamped in the head (report_keys)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": nb.metadata.title}})
    write_atomic(target, body)
    size = len(body.encode("utf-8"))
    return [f"  {target.name} ({fmt.number(size / 1e6, 2)} Mo)"]


def _damaged(phase: _PhaseInputs, outputs: Path) -> list[str]:
    """One line per executed notebook of the phase whose outputs are not the run's."""
    found = [o for pin in phase.pairs.values() for o in (*pin.ris.values(), pin.synthesis)]
    found.append(phase.programme_output)
    return [f"  {display_path(o.path)} : {o.damaged}" for o in found if o.damaged]


def _sweep_temporaries(outputs: Path) -> None:
    """Remove report files a killed build left half-written (we hold the lock)."""
    for tmp in outputs.glob("*/*/.*.tmp"):
        if tmp.name.startswith((".rapport-", ".annexe-")):
            tmp.unlink(missing_ok=True)


@dataclass
class _PhaseInputs:
    code: str
    entries: dict
    pairs: dict[str, PairInputs]
    programme_output: object


def _pair_task(exporter, programme, pin: PairInputs, outputs: Path, key: str):
    from .annex import write_annex
    from .notebooks import pair_notebook

    code, p = pin.phase, pin.pair

    def task() -> list[str]:
        lines = [f"Rapport {code} / {p}"]
        lines += _export(exporter(), pair_notebook(programme, pin),
                         paths.pair_report_path(outputs, code, p), key)
        write_annex(paths.pair_annex_path(outputs, code, p), pin.ri_results,
                    title=f"Cadre logique — {programme.pair_map[p].label} — "
                          f"{programme.phases[code].label}",
                    baseline_year=programme.baseline_year, year=programme.phases[code].year)
        return lines
    return task


def _programme_task(exporter, programme, phase: _PhaseInputs, links: dict, outputs: Path,
                    key: str):
    from .notebooks import programme_notebook

    def task() -> list[str]:
        pair_results = {p: (i.synthesis.sidecar if i.synthesis.available else None)
                        for p, i in phase.pairs.items()}
        return [f"Rapport {phase.code} / programme", *_export(
            exporter(), programme_notebook(programme, phase.code, phase.programme_output,
                                           pair_results, links),
            paths.programme_report_path(outputs, phase.code), key)]
    return task


def _links(programme, phase: _PhaseInputs, outputs: Path, building: set[Path]) -> dict[str, str]:
    links = {}
    for p in phase.pairs:
        report = paths.pair_report_path(outputs, phase.code, p)
        if report.exists() or report in building:
            links[programme.pair_map[p].label] = f"../{p}/{report.name}"
    return links


def _index_rows(programme, phase: _PhaseInputs, outputs: Path) -> list[PairRow]:
    rows = []
    for p, pin in phase.pairs.items():
        report, annex = (paths.pair_report_path(outputs, phase.code, p),
                         paths.pair_annex_path(outputs, phase.code, p))
        result = pin.synthesis.sidecar if pin.synthesis.available else None
        rows.append(PairRow(programme.pair_map[p].label,
                            result.overall_status if result else None,
                            result.overall_index if result else None,
                            {ri: (r.status if r else "indisponible")
                             for ri, r in pin.ri_results.items()},
                            report if report.exists() else None,
                            annex if annex.exists() else None, pin.exists))
    return rows


def build_reports(programme_file: Path = paths.PROGRAMME_FILE, phase: str = "all",
                  outputs: Path = paths.OUTPUTS_DIR, echo=print, force: bool = False) -> Path:
    """Build the reports, annexes and the index from the outputs of ``maroc-eval run``.

    A report whose inputs did not change since it was built is kept as it is
    (:mod:`maroc_eval.report.keys`); the others are exported side by side, one per core
    (:mod:`maroc_eval.report.pool`). The index is always rewritten.

    Parameters
    ----------
    programme_file : Path
        The programme definition.
    phase : str
        ``midterm``, ``final`` or ``all``.
    outputs : Path
        The results folder of ``maroc-eval run``.
    echo : callable
        Where progress lines go (each report built with its size, and how many were up to date).
    force : bool
        Rebuild every selected report, up to date or not.

    Returns
    -------
    Path
        ``outputs/index.html``.

    Raises
    ------
    ParameterError
        Unknown phase, or nothing to report on.
    LockedError
        A run or another report build holds the output folder.
    """
    programme, outputs = load_programme(programme_file), Path(outputs)
    selected = programme.select_phases(phase)
    if not outputs.is_dir():
        raise ParameterError(f"Aucun résultat à mettre en rapport dans « {outputs} » : lancez "
                             "d'abord « maroc-eval run ».")
    common = report_keys.common_digest(programme_file)
    shared: list = []

    def exporter():  # imports nbconvert only when a report is built
        if not shared:
            from .exporter import make_exporter

            shared.append(make_exporter())
        return shared[0]

    with RunLock(paths.lock_path(outputs)):
        _sweep_temporaries(outputs)
        phases, tasks, up_to_date, wanted, damaged = [], [], 0, 0, []
        for code in programme.phases:
            entries = read_ledger(outputs, code)
            ph = _PhaseInputs(code, entries,
                              {p: load_pair(outputs, code, p, entries)
                               for p in programme.pair_codes},
                              load_programme_output(outputs, code, entries))
            phases.append(ph)
            if code not in selected:
                continue
            damaged += _damaged(ph, outputs)
            building = set()
            for p, pin in ph.pairs.items():
                if not pin.exists:
                    continue
                wanted += 1
                report = paths.pair_report_path(outputs, code, p)
                key = report_keys.pair_key(common, outputs, code, p, entries)
                if force or report_keys.stamped_key(report) != key or \
                        not paths.pair_annex_path(outputs, code, p).exists():
                    tasks.append(_pair_task(exporter, programme, pin, outputs, key))
                    building.add(report)
                else:
                    up_to_date += 1
            out = ph.programme_output
            if out.notebook is not None or out.reason != "carnet non exécuté":
                wanted += 1
                report = paths.programme_report_path(outputs, code)
                links = _links(programme, ph, outputs, building)
                key = report_keys.programme_key(common, outputs, code, programme.pair_codes,
                                                entries, links)
                if force or report_keys.stamped_key(report) != key:
                    tasks.append(_programme_task(exporter, programme, ph, links, outputs, key))
                else:
                    up_to_date += 1
        if damaged:
            raise OutputError("Résultats abîmés ou modifiés depuis leur exécution par "
                              "maroc-eval run : aucun rapport n'en est fait. « maroc-eval run » "
                              "les refait.\n" + "\n".join(damaged))
        if not wanted:
            raise ParameterError(f"Aucun résultat à mettre en rapport dans « {outputs} » pour la "
                                 "phase demandée : lancez d'abord « maroc-eval run ».")
        if tasks:
            exporter()  # created once, before the workers fork, and shared by them
        for lines in run_tasks(tasks):
            for line in lines:
                echo(line)
        if up_to_date:
            echo(f"{up_to_date} rapport{'s' if up_to_date > 1 else ''} déjà à jour "
                 f"(entrées inchangées) ; --forcer pour tout refaire.")
        indexes = [PhaseIndex(ph.code, programme.phases[ph.code].label,
                              programme.phases[ph.code].year, _index_rows(programme, ph, outputs),
                              paths.programme_report_path(outputs, ph.code)
                              if paths.programme_report_path(outputs, ph.code).exists() else None,
                              ph.entries) for ph in phases]
        return write_index(outputs, programme.name, indexes, [s.ri for s in RI_NOTEBOOKS])
