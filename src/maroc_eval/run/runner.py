"""``maroc-eval run``: the battery of notebooks as a dependency graph, in parallel, incremental.

The graph, per phase: every RI notebook × pair, then each pair synthesis (after that pair's RI
notebooks), then the programme synthesis (after everything else of the phase)
(:mod:`maroc_eval.run.plan`). Before any kernel starts, the selection, every parameter (names,
types, paths) and the data are checked; then the output folder is locked, leftover temporary
files from a crashed run are swept, and jobs run in a thread pool, each in its own kernel given
by the run's executor (:mod:`maroc_eval.run.schedule`, :mod:`maroc_eval.run.executors`). A job
whose cache key is unchanged is skipped (:mod:`maroc_eval.run.keys` explains the key). A failure
is recorded and the others go on; a synthesis whose input failed runs with that input in
``unavailable``. Ctrl-C kills the running kernels, records them as ``interrupted`` and leaves
every earlier output intact.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..base import paths
from ..base.catalogue import BATTERY, NotebookSpec
from ..base.errors import InputError, ParameterError, Problem, display_path, suggest
from ..base.i18n import _
from ..base.ledger import FAILED, SKIPPED, Ledger, RunLock, now, summary_lines, unvouched
from ..base.output_folder import check_output_folder, claim_output_folder, is_fresh
from ..core.dataset import Dataset, DatasetCache
from ..core.programme import load_programme
from ..core.settings import Layer, load_layer, settings_problems
from .execute import NotebookExecutor, is_temporary
from .executors import DEFAULT_EXECUTOR, executors
from .keys import InputDigests
from .parameters import (
    explicit_layers,
    notebook_parameters,
    remember_parameters,
)
from .plan import Plan, build_jobs
from .schedule import execute_jobs, workers


@dataclass
class RunOptions:
    """What ``maroc-eval run`` was asked to do (see ``maroc-eval run --help``)."""

    programme_file: Path = paths.PROGRAMME_FILE
    phase: str = "all"
    pairs: tuple[str, ...] = ()
    ris: tuple[str, ...] = ()
    data_dir: Path = paths.SAMPLE_DIR
    outputs: Path = paths.OUTPUTS_DIR
    jobs: int | None = None
    force: bool = False
    params_files: tuple[Path, ...] = ()
    params: tuple[tuple[str, str], ...] = ()
    quiet: bool = False
    executor: str = DEFAULT_EXECUTOR
    language: str = "fr"
    """The notebooks' ``langue``; a language other than French writes under ``outputs/<lang>``."""


@dataclass
class RunResult:
    """The outcome of a run: this run's ledger entries (as dicts) and the exit status."""

    entries: list[dict] = field(default_factory=list)
    exit_status: int = 0

    @property
    def executed(self) -> list[str]:
        """Jobs (``phase/pair/stem``) whose notebook was executed in this run."""
        return sorted(f"{e['phase']}/{e['job']}" for e in self.entries if e["status"] != SKIPPED)

    def status(self, job: str) -> str | None:
        """Status of ``phase/pair/stem`` in this run."""
        return next((e["status"] for e in self.entries if f"{e['phase']}/{e['job']}" == job), None)


@dataclass
class InputData:
    """Validated inputs: the monitoring table, the team's appraisals, the budget and the
    evaluation matrix (if any)."""

    observations: object
    appraisals: object
    budget: object | None = None
    matrix: object | None = None


def load_inputs(data_dir: Path, programme_file: Path) -> InputData:
    """Validate a data folder with :func:`maroc_eval.core.validation.validate_inputs`.

    Raises
    ------
    InputError
        Every problem found, when one is an error.
    """
    from ..core.validation import validate_inputs

    report = validate_inputs([Path(data_dir)], Path(programme_file))
    if report.exit_status == 2:
        raise InputError(list(report.problems))
    if report.observations is None:
        raise InputError([Problem(display_path(data_dir), None, None, None,
                                  _("au moins un fichier de suivi (CSV ou XLSX)"),
                                  kind="no-observations")])
    return InputData(report.observations, report.appraisals, report.budget, report.matrix)


# -- selection and graph -----------------------------------------------------------------
def _unknown(kind: str, values: list[str], valid: list[str]) -> str:
    """``kind`` is a message with a ``{value}`` and a ``{hint}`` placeholder, translated."""
    return "; ".join(kind.format(value=v, hint=suggest(v, valid)) for v in values) + \
        _(". Valeurs possibles : {choices}.").format(choices=", ".join(valid))


def select(programme, options: RunOptions, battery) -> tuple[list[str], list[str], list]:
    """Check ``--phase``, ``--pair``, ``--ri`` against the programme; return the selection."""
    chosen_phases = programme.select_phases(options.phase)
    problems = []
    bad = [p for p in options.pairs if p not in programme.pair_codes]
    if bad:
        problems.append(_unknown(_("Partenariat inconnu « {value} »{hint}"), bad,
                                 programme.pair_codes))
    ri_specs = [s for s in battery if s.scope == "ri"]
    valid_ris = [s.ri for s in ri_specs]
    wanted = [r.upper() if r.upper().startswith("RI") else f"RI{r}" for r in options.ris]
    bad = [r for r, w in zip(options.ris, wanted, strict=True) if w not in valid_ris]
    if bad:
        problems.append(_unknown(_("Résultat intermédiaire inconnu « {value} »{hint}"), bad,
                                 valid_ris))
    if problems:
        raise ParameterError("\n".join(problems))
    pairs = [p for p in programme.pair_codes if not options.pairs or p in options.pairs]
    specs = [s for s in battery if s.scope != "ri" or not wanted or s.ri in wanted]
    return chosen_phases, pairs, specs


def _file_layers(programme, programme_file: Path) -> list[Layer]:
    """The phase and pair parameter files beside the programme (notebooks read them too)."""
    phase_dir, pair_dir = paths.settings_dirs(programme_file)
    layers: list[Layer] = []
    for name, folder, keys in (("phase", phase_dir, list(programme.phases)),
                               ("pair", pair_dir, programme.pair_codes)):
        for key in keys:
            file = Path(folder) / f"{key}.yml"
            if file.is_file():
                layers.append(load_layer(file, name, scope=key))
    return layers


def _sweep_temporaries(outputs: Path, phases: list[str]) -> None:
    """Remove temporary files a killed run left behind (we hold the lock: none is in use)."""
    for phase in phases:
        folder = paths.phase_dir(outputs, phase)
        if folder.is_dir():
            for tmp in folder.rglob(".*"):
                if tmp.is_file() and is_temporary(tmp):
                    tmp.unlink(missing_ok=True)


# -- the run -----------------------------------------------------------------------------
def run_battery(options: RunOptions, echo=print, *, battery: tuple[NotebookSpec, ...] = BATTERY,
                notebooks_dir: Path | None = None, inputs_loader=load_inputs,
                cache: DatasetCache | None = None,
                executor: NotebookExecutor | None = None) -> RunResult:
    """Run the battery: check everything, then execute the job graph.

    Parameters
    ----------
    options : RunOptions
        The command line's choices.
    echo : callable
        Prints one line of the final summary.
    battery : tuple of NotebookSpec
        The notebooks (tests pass toy ones).
    notebooks_dir : Path, optional
        Where the notebooks are (default from ``paths``); the phase and pair parameter files are
        beside the programme file (``phases/``, ``pairs/``).
    inputs_loader : callable
        ``(data_dir, programme_file) -> InputData``; validates the data.
    cache : DatasetCache, optional
        The validated-inputs cache: inputs validated by an earlier run are taken from it, and
        those this run validates are stored in it for its notebooks (the command line makes it
        before importing this module). Without it, the data are validated again.
    executor : NotebookExecutor, optional
        Runs each notebook in a fresh kernel (default: the executor named by
        ``options.executor``). The run closes it when it ends, however it ends.

    Returns
    -------
    RunResult
        Exit status 0 when every notebook succeeded or was up to date, 1 when one failed.

    Raises
    ------
    ParameterError, InputError
        A bad selection, parameter or input, before any kernel starts (exit status 2).
    LockedError, OutputError
        Another run holds the output folder, or it cannot be written (exit status 2).
    KeyboardInterrupt
        After Ctrl-C, once running kernels are stopped and the ledger says ``interrupted``.
    """
    notebooks_dir = Path(notebooks_dir or paths.NOTEBOOKS_DIR)
    outputs = paths.resolved(paths.language_outputs(Path(options.outputs),
                                                    options.language))
    executor = executor or executors.get(options.executor)(workers=workers(options))
    try:
        check_output_folder(options.outputs, (options.data_dir,))
        fresh = is_fresh(options.outputs)
        if "{" in str(outputs) or "}" in str(outputs):
            raise ParameterError(_("Dossier de sorties « {folder} » : attendu un chemin sans "
                                   "accolades.").format(folder=outputs))
        programme = load_programme(options.programme_file)
        phases, pairs, specs = select(programme, options, battery)
        sources = {s.stem: notebooks_dir / f"{s.stem}.ipynb" for s in battery}
        accepted = {s.stem: notebook_parameters(sources[s.stem],
                                                paths.parameters_cache_dir(outputs))
                    for s in battery}
        files = _file_layers(programme, Path(options.programme_file))
        explicit = explicit_layers(options.params_files, options.params, accepted, files)
        jobs = build_jobs(phases, pairs, specs, sources, outputs)
        folder = Path(options.data_dir)
        loaded = {}
        found = cache.lookup(folder) if cache is not None else None
        data = (InputData(found.observations, found.appraisals, found.budget, found.matrix)
                if found else None)
        plan = Plan(programme, options, battery, outputs, files, explicit, None,
                    {s.stem: accepted[s.stem] for s in battery})
        problems = [p for phase in phases for pair in programme.pair_codes
                    for p in settings_problems(plan.settings(phase, pair), programme)]
        problems = list(dict.fromkeys(problems))
        if problems:
            raise ParameterError("\n".join(problems))
        if data is None:
            loaded[folder] = data = inputs_loader(folder, Path(options.programme_file))
        plan.data = InputDigests(found if found is not None else Dataset(
            programme, data.observations, data.appraisals, budget=data.budget,
            matrix=data.matrix))
        given = {job.id: plan.injected(job) for job in jobs}
        claim_output_folder(options.outputs, fresh)
        with RunLock(paths.lock_path(outputs)):
            _sweep_temporaries(outputs, phases)
            if cache is not None:
                cache.share(programme, loaded)
            for source in sources.values():
                remember_parameters(source, paths.parameters_cache_dir(outputs))
            started = now()
            for phase in phases:
                plan.ledgers[phase] = Ledger.load(paths.ledger_path(outputs, phase), phase)
                plan.ledgers[phase].run = {"started": started, "pid": os.getpid()}
                if (problem := unvouched(plan.ledgers[phase])) is not None:
                    plan.notices.append(_("{where} : {why} ; aucun carnet de la phase n'est "
                                          "tenu pour à jour : ceux de cette exécution sont "
                                          "refaits.").format(where=problem[0], why=problem[1]))
            entries = execute_jobs(plan, jobs, given, executor, options)
    finally:
        executor.close()
    failed = any(e["status"] == FAILED for e in entries)
    result = RunResult(entries, 1 if failed else 0)
    for line in plan.notices:
        echo(line)
    for line in summary_lines(result.entries, outputs, phases):
        echo(line)
    return result
