"""``maroc-eval run``: the battery of notebooks as a dependency graph, in parallel, incremental.

The graph, per phase: every RI notebook × pair, then each pair synthesis (after that pair's RI
notebooks), then the programme synthesis (after everything else of the phase). Before any kernel
starts, the selection, every parameter (names, types, paths) and the data are checked; then the
output folder is locked, leftover temporary files from a crashed run are swept, and jobs run in a
thread pool, each in its own kernel (:mod:`maroc_eval.execute`). A job whose cache key is unchanged
is skipped (:mod:`maroc_eval.cache` explains the key). A failure is recorded and the others go on;
a synthesis whose input failed runs with that input in ``unavailable``. Ctrl-C kills the running
kernels, records them as ``interrupted`` and leaves every earlier output intact.
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import FIRST_COMPLETED, CancelledError, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from . import paths
from .battery import BATTERY, NotebookSpec
from .cache import InputDigests, cache_key, file_digest, notebook_digest, package_digest
from .errors import InputError, ParameterError, Problem, display_path
from .execute import Executor, Job, JobResult, is_temporary
from .ledger import (
    FAILED,
    INTERRUPTED,
    OK,
    SKIPPED,
    VALID,
    Entry,
    Ledger,
    RunLock,
    now,
    summary_lines,
)
from .parameters import (
    Layer,
    check_layers,
    check_thresholds,
    cli_layer,
    load_layer,
    notebook_parameters,
    remember_parameters,
    resolve,
    resolve_path_value,
)
from .programme import load_programme, suggest
from .warm_start import EarlyStart, start


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
    """Validated inputs: the monitoring table and the judgements."""

    observations: object
    judgements: object | None


def load_inputs(data_dir: Path, programme_file: Path) -> InputData:
    """Validate a data folder with :func:`maroc_eval.validation.validate_inputs`.

    Raises
    ------
    InputError
        Every problem found, when one is an error.
    """
    from .validation import validate_inputs

    report = validate_inputs([Path(data_dir)], Path(programme_file))
    if report.exit_status == 2:
        raise InputError(list(report.problems))
    if report.observations is None:
        raise InputError([Problem(display_path(data_dir), None, None, None,
                                  "au moins un fichier de suivi (CSV ou XLSX)",
                                  kind="no-observations")])
    return InputData(report.observations, report.judgements)


def shown_path(path: Path) -> str:
    """A path as passed to notebooks: relative to the project root when inside it."""
    resolved = Path(path).resolve()
    try:
        return str(resolved.relative_to(paths.PROJ_ROOT))
    except ValueError:
        return str(resolved)


# -- selection and graph -----------------------------------------------------------------
def _unknown(kind: str, values: list[str], valid: list[str]) -> str:
    return "; ".join(f"{kind} « {v} »{suggest(v, valid)}" for v in values) + \
        f". Valeurs possibles : {', '.join(valid)}."


def select(programme, options: RunOptions, battery) -> tuple[list[str], list[str], list]:
    """Check ``--phase``, ``--pair``, ``--ri`` against the programme; return the selection."""
    problems = []
    phases = list(programme.phases)
    if options.phase != "all" and options.phase not in phases:
        problems.append(_unknown("Phase inconnue", [options.phase], [*phases, "all"]))
    bad = [p for p in options.pairs if p not in programme.pair_codes]
    if bad:
        problems.append(_unknown("Partenariat inconnu", bad, programme.pair_codes))
    ri_specs = [s for s in battery if s.scope == "ri"]
    valid_ris = [s.ri for s in ri_specs]
    wanted = [r.upper() if r.upper().startswith("RI") else f"RI{r}" for r in options.ris]
    bad = [r for r, w in zip(options.ris, wanted, strict=True) if w not in valid_ris]
    if bad:
        problems.append(_unknown("Résultat intermédiaire inconnu", bad, valid_ris))
    if problems:
        raise ParameterError("\n".join(problems))
    chosen_phases = phases if options.phase == "all" else [options.phase]
    pairs = [p for p in programme.pair_codes if not options.pairs or p in options.pairs]
    specs = [s for s in battery if s.scope != "ri" or not wanted or s.ri in wanted]
    return chosen_phases, pairs, specs


def build_jobs(phases, pairs, specs, sources: dict[str, Path], outputs: Path) -> list[Job]:
    """The job graph: RI notebooks, then pair syntheses, then the programme synthesis."""
    jobs: list[Job] = []
    for phase in phases:
        phase_jobs: list[Job] = []
        for pair in pairs:
            ri_jobs = [Job(s, phase, pair, sources[s.stem],
                           paths.pair_dir(outputs, phase, pair) / f"{s.stem}.ipynb")
                       for s in specs if s.scope == "ri"]
            phase_jobs += ri_jobs
            phase_jobs += [Job(s, phase, pair, sources[s.stem],
                               paths.pair_dir(outputs, phase, pair) / f"{s.stem}.ipynb",
                               tuple(j.id for j in ri_jobs))
                           for s in specs if s.scope == "pair"]
        jobs += phase_jobs
        jobs += [Job(s, phase, None, sources[s.stem],
                     paths.programme_dir(outputs, phase) / f"{s.stem}.ipynb",
                     tuple(j.id for j in phase_jobs))
                 for s in specs if s.scope == "programme"]
    return jobs


class _Plan:
    """Static parameters, inputs and ledgers of a run; prepares each job when its turn comes."""

    def __init__(self, programme, options, battery, outputs, layers, accepted, data):
        self.programme, self.options, self.battery = programme, options, battery
        self.outputs, self.layers, self.accepted, self.data = outputs, layers, accepted, data
        self.ledgers: dict[str, Ledger] = {}
        self.programme_digest = file_digest(options.programme_file)
        self._notebook_digests: dict[Path, str] = {}

    def notebook_digest(self, source: Path) -> str:
        """The notebook's digest, read once per run."""
        if source not in self._notebook_digests:
            self._notebook_digests[source] = notebook_digest(source)
        return self._notebook_digests[source]

    def layers_for(self, job: Job) -> list[Layer]:
        t = self.programme.thresholds
        runner = Layer("runner", "", {
            "pair": job.pair, "phase": job.phase,
            "programme_file": shown_path(self.options.programme_file),
            "data_dir": shown_path(self.options.data_dir), "output_dir": shown_path(self.outputs),
            "results_dir": shown_path(self.outputs), "sidecar_path": shown_path(job.sidecar),
            "unavailable": [],
        })
        derived = Layer("programme", shown_path(self.options.programme_file), {
            "threshold_met": t.met, "threshold_on_track": t.on_track, "threshold_late": t.late})
        return [runner, derived, *(lay for lay in self.layers if _applies(lay, job))]

    def inputs_of(self, job: Job) -> list[tuple[str, Path]]:
        """``(pair/stem, sidecar)`` read by a synthesis (empty for an RI notebook)."""
        ri = [s for s in self.battery if s.scope == "ri"]
        pair_specs = [s for s in self.battery if s.scope == "pair"]
        if job.spec.scope == "pair":
            pairs, specs = [job.pair], ri
        elif job.spec.scope == "programme":
            pairs, specs = self.programme.pair_codes, [*ri, *pair_specs]
        else:
            return []
        return [(f"{p}/{s.stem}", paths.sidecar_path(
            paths.pair_dir(self.outputs, job.phase, p) / f"{s.stem}.ipynb"))
            for p in pairs for s in specs]

    def prepare(self, job: Job, resolved) -> tuple[dict, dict, str]:
        """Parameters with ``unavailable`` filled, notebook metadata and cache key."""
        inputs = self.inputs_of(job)
        ledger = self.ledgers[job.phase]
        if "unavailable" in resolved.values:
            resolved.values["unavailable"] = [
                name for name, sidecar in inputs
                if not sidecar.exists() or (ledger.get(name) or {}).get("status") in
                (FAILED, INTERRUPTED)]
        data = self.data[_data_key(resolved)]
        if job.spec.scope == "ri":
            read = data.ri(job.phase, job.pair, job.spec.ri)
        elif job.spec.scope == "pair":
            read = data.pair_synthesis(job.phase, job.pair, [s for _, s in inputs])
        else:
            read = data.programme_synthesis(job.phase, [s for _, s in inputs])
        params_hash = resolved.digest()
        key = cache_key(notebook=self.notebook_digest(job.source), parameters=params_hash,
                        package=package_digest(), programme=self.programme_digest, inputs=read)
        metadata = {"job": job.id, "notebook": job.spec.stem, "pair": job.pair,
                    "phase": job.phase, "parameters": resolved.values,
                    "origins": resolved.origins, "parameters_hash": params_hash,
                    "cache_key": key}
        return dict(resolved.values), metadata, key


def _applies(layer: Layer, job: Job) -> bool:
    if layer.scope is None:
        return True
    return layer.scope == (job.phase if layer.name == "phase" else job.pair)


def _data_key(resolved) -> str:
    return str(resolve_path_value(resolved.values.get("data_dir", "")).resolve()) \
        if "data_dir" in resolved.values else ""


def _user_layers(options, phases, pairs, phase_dir: Path, pair_dir: Path) -> list[Layer]:
    layers: list[Layer] = []
    for name, folder, keys in (("phase", phase_dir, phases), ("pair", pair_dir, pairs)):
        for key in keys:
            file = Path(folder) / f"{key}.yml"
            if file.is_file():
                layers.append(load_layer(file, name, scope=key))
    layers += [load_layer(Path(f), "file") for f in options.params_files]
    if options.params:
        layers.append(cli_layer(options.params))
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
                notebooks_dir: Path | None = None, phase_params_dir: Path | None = None,
                pair_params_dir: Path | None = None, inputs_loader=load_inputs,
                executor: Executor | None = None, early: EarlyStart | None = None) -> RunResult:
    """Run the battery: check everything, then execute the job graph.

    Parameters
    ----------
    options : RunOptions
        The command line's choices.
    echo : callable
        Prints one line of the final summary.
    battery : tuple of NotebookSpec
        The notebooks (tests pass toy ones).
    notebooks_dir, phase_params_dir, pair_params_dir : Path, optional
        Where the notebooks and the phase/pair parameter files are (defaults from ``paths``).
    inputs_loader : callable
        ``(data_dir, programme_file) -> InputData``; validates the data.
    executor : Executor, optional
        Runs one notebook (default: a fresh kernel per notebook).
    early : EarlyStart, optional
        What :func:`maroc_eval.warm_start.start` began for these options (the command line calls
        it before importing this module); made here when not given.

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
    outputs = Path(options.outputs).resolve()
    # Data changed since the last run: notebooks will run, so the warm process kernels are forked
    # from starts now, importing its stack while this process checks everything.
    if early is None and inputs_loader is load_inputs:
        early = start(Path(options.programme_file), Path(options.data_dir), outputs,
                      _workers(options), warm=executor is None, force=options.force)
    earlier = early if inputs_loader is load_inputs else None
    try:
        if "{" in str(outputs) or "}" in str(outputs):
            raise ParameterError(f"Dossier de sorties « {outputs} » : attendu un chemin sans "
                                 "accolades.")
        programme = load_programme(options.programme_file)
        phases, pairs, specs = select(programme, options, battery)
        sources = {s.stem: notebooks_dir / f"{s.stem}.ipynb" for s in battery}
        accepted = {s.stem: notebook_parameters(sources[s.stem], paths.parameters_cache_dir(outputs))
                    for s in battery}
        layers = _user_layers(options, phases, pairs, phase_params_dir or paths.PHASE_PARAMS_DIR,
                              pair_params_dir or paths.PAIR_PARAMS_DIR)
        roots = [paths.PROJ_ROOT, Path(options.data_dir).resolve(), outputs]
        check_layers(layers, accepted, roots)
        jobs = build_jobs(phases, pairs, specs, sources, outputs)
        plan = _Plan(programme, options, battery, outputs, layers, accepted, {})
        resolved = {}
        problems = []
        for job in jobs:
            resolved[job.id] = resolve(accepted[job.spec.stem], plan.layers_for(job))
            problem = check_thresholds(resolved[job.id], job.id)
            if problem and problem not in problems:
                problems.append(problem)
        if problems:
            raise ParameterError("\n".join(problems))
        loaded = {}
        for res in resolved.values():
            key = _data_key(res)
            if key not in plan.data:
                folder = Path(key) if key else Path(options.data_dir)
                found = earlier.inputs(folder) if earlier else None
                data = InputData(found.observations, found.judgements) if found else None
                if data is None:
                    loaded[folder] = data = inputs_loader(folder, Path(options.programme_file))
                plan.data[key] = InputDigests(data.observations, data.judgements, programme)
        with RunLock(paths.lock_path(outputs)):
            _sweep_temporaries(outputs, phases)
            if earlier is not None:
                earlier.share(programme, loaded)
            for source in sources.values():
                remember_parameters(source, paths.parameters_cache_dir(outputs))
            started = now()
            for phase in phases:
                plan.ledgers[phase] = Ledger.load(paths.ledger_path(outputs, phase), phase)
                plan.ledgers[phase].run = {"started": started, "pid": os.getpid()}
            executor = executor or (early and early.executor) \
                or Executor(spares=_workers(options), fork=True)
            entries = _execute(plan, jobs, resolved, executor, options)
    except BaseException:
        if early is not None:
            early.close()
        raise
    failed = any(e["status"] == FAILED for e in entries)
    result = RunResult(entries, 1 if failed else 0)
    for line in summary_lines(result.entries, outputs, phases):
        echo(line)
    return result


LEDGER_SAVE_SECONDS = 2.0


def _workers(options: RunOptions) -> int:
    """Notebooks executed at once: ``--jobs``, else the number of processors."""
    return options.jobs or os.cpu_count() or 1


def _execute(plan: _Plan, jobs: list[Job], resolved: dict, executor: Executor,
             options: RunOptions) -> list[dict]:
    from tqdm import tqdm

    entries: list[dict] = []
    pending = {job.id: job for job in jobs}
    finished: set[str] = set()
    running: dict = {}
    workers = _workers(options)
    last_save: dict[str, float] = {}
    bar = tqdm(total=len(jobs), disable=options.quiet, file=sys.stderr, unit="carnet",
               desc="Carnets", leave=False)

    def record(job: Job, result: JobResult, params_hash: str, key: str) -> None:
        output = job.failed_output if result.status == FAILED else job.output
        entry = Entry(job=job.key, notebook=job.spec.stem, pair=job.pair, phase=job.phase,
                      status=result.status, duration=result.duration,
                      parameters_hash=params_hash, cache_key=key,
                      output=str(output.relative_to(plan.outputs)), finished=now(),
                      cell=result.cell, ename=result.ename, evalue=result.evalue)
        ledger = plan.ledgers[job.phase]
        if result.status != SKIPPED or ledger.get(job.key) is None:
            # An up-to-date notebook keeps the entry of the run that produced its outputs
            # (status, duration, time): what reports cite, and unchanged so they stay up to date.
            ledger.record(entry)
        # Saved as work finishes, at most every LEDGER_SAVE_SECONDS (rewriting the whole ledger
        # after every notebook is quadratic on large programmes); always at the end. An entry
        # lost to a crash only means that notebook runs again next time.
        if result.status != SKIPPED and time.monotonic() - last_save.get(job.phase, 0.0) >= LEDGER_SAVE_SECONDS:
            ledger.save()
            last_save[job.phase] = time.monotonic()
        entries.append(entry.to_dict())
        finished.add(job.id)
        bar.update(1)
        n_failed = sum(e["status"] == FAILED for e in entries)
        active = min(len(running), workers)
        bar.set_postfix_str(f"en cours : {active}, en attente : {len(pending) + len(running) - active}, "
                            f"échecs : {n_failed}")

    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="maroc-eval")
    executor.demand = lambda: len(pending)
    try:
        while pending or running:
            ready = [j for j in pending.values() if all(d in finished for d in j.deps)]
            for job in ready:
                del pending[job.id]
                params, metadata, key = plan.prepare(job, resolved[job.id])
                previous = plan.ledgers[job.phase].get(job.key) or {}
                if (not options.force and previous.get("status") in VALID
                        and previous.get("cache_key") == key and job.output.is_file()
                        and job.sidecar.is_file()):
                    record(job, JobResult(SKIPPED), metadata["parameters_hash"], key)
                    continue
                future = pool.submit(executor.execute, job, params, metadata)
                running[future] = (job, metadata["parameters_hash"], key)
            if not running:
                if pending and not any(all(d in finished for d in j.deps)
                                       for j in pending.values()):
                    break  # unreachable dependencies: nothing more can run
                continue
            done, _ = wait(list(running), timeout=1.0, return_when=FIRST_COMPLETED)
            for future in done:
                job, params_hash, key = running.pop(future)
                record(job, future.result(), params_hash, key)
    except KeyboardInterrupt:
        executor.cancel_all()
        for future, (job, params_hash, key) in list(running.items()):
            try:
                result = future.result()
            except (CancelledError, Exception):
                result = JobResult(INTERRUPTED)
            if result.status != OK:
                result = JobResult(INTERRUPTED, duration=result.duration)
            running.pop(future)
            record(job, result, params_hash, key)
        for ledger in plan.ledgers.values():
            ledger.run.update(finished=now(), interrupted=True)
            ledger.save()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        if hasattr(executor, "close"):
            executor.close()
        bar.close()
    for ledger in plan.ledgers.values():
        ledger.run.update(finished=now(), interrupted=False)
        ledger.save()
    return entries
