"""The plan of a run: its job graph, and for each job its parameters, settings and cache key.

Per phase: every RI notebook × pair, then each pair synthesis (after that pair's RI notebooks),
then the programme synthesis (after everything else of the phase). A job is given the runner's
values and the explicit settings (``-f``, ``-p``); its notebook resolves its other settings
from the phase and pair files itself (:mod:`maroc_eval.core.settings`), and the plan resolves
them the same way for the job's record and cache key. The key (:mod:`maroc_eval.run.keys`) is
computed when the job's turn comes, from what it reads: its notebook, parameters and settings,
the thresholds of every pair of its phase (an RI notebook judges the other pairs with their own),
the code, the programme and the data it reads.
"""

from __future__ import annotations

from pathlib import Path

from ..base import paths
from ..base.digest import file_sha256, json_digest, package_digest
from ..base.ledger import FAILED, INTERRUPTED, Ledger
from ..core.settings import Layer, Settings, resolve_settings
from .execute import Job
from .keys import cache_key, notebook_digest
from .parameters import Injected, injected


def shown_path(path: Path) -> str:
    """A path as passed to notebooks: relative to the project root when inside it."""
    resolved = paths.resolved(path)
    try:
        return str(resolved.relative_to(paths.PROJ_ROOT))
    except ValueError:
        return str(resolved)


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


class Plan:
    """Static parameters, inputs and ledgers of a run; prepares each job when its turn comes.

    Parameters
    ----------
    programme : Programme
    options : RunOptions
    battery : tuple of NotebookSpec
    outputs : Path
        The output folder (resolved).
    files : list of Layer
        The phase and pair parameter files (scoped), read by notebooks themselves.
    explicit : list of Layer
        The ``-f`` files and the ``-p`` values, injected into every notebook.
    data : InputDigests
        What each kind of notebook reads from the validated data.
    cells : dict
        Notebook stem → its parameters cell.
    """

    def __init__(self, programme, options, battery, outputs, files: list[Layer],
                 explicit: list[Layer], data, cells: dict):
        self.programme, self.options, self.battery = programme, options, battery
        self.outputs, self.files, self.explicit, self.data = outputs, files, explicit, data
        self.cells = cells
        self.ledgers: dict[str, Ledger] = {}
        # the programme file and its evaluation matrix (questions, rules, annexes)
        matrix = paths.evaluation_file(Path(options.programme_file))
        self.programme_digest = json_digest([file_sha256(options.programme_file),
                                             file_sha256(matrix) if matrix.is_file() else None])
        self._notebook_digests: dict[Path, str] = {}
        self._settings: dict[tuple, Settings] = {}
        self._thresholds: dict[str, str] = {}
        self.notices: list[str] = []  # said at the end of the run (outputs redone, …)

    def notebook_digest(self, source: Path) -> str:
        """The notebook's digest, read once per run."""
        if source not in self._notebook_digests:
            self._notebook_digests[source] = notebook_digest(source)
        return self._notebook_digests[source]

    def settings(self, phase: str, pair: str | None) -> Settings:
        """The settings a notebook of this phase and pair resolves (as it does itself)."""
        key = (phase, pair)
        if key not in self._settings:
            self._settings[key] = resolve_settings(self.programme, phase, pair,
                                                   layers=[*self.files, *self.explicit])
        return self._settings[key]

    def thresholds_digest(self, phase: str) -> str:
        """Every pair's thresholds at a phase: comparisons judge each pair with its own."""
        if phase not in self._thresholds:
            self._thresholds[phase] = json_digest(
                {p: self.settings(phase, p).thresholds.as_parameters()
                 for p in self.programme.pair_codes})
        return self._thresholds[phase]

    def injected(self, job: Job) -> Injected:
        """What the runner passes a job: its fixed values, then the explicit settings."""
        runner = Layer("runner", "", {
            "pair": job.pair, "phase": job.phase,
            "programme_file": shown_path(self.options.programme_file),
            "data_dir": shown_path(self.options.data_dir), "output_dir": shown_path(self.outputs),
            "results_dir": shown_path(self.outputs), "sidecar_path": shown_path(job.sidecar),
            "unavailable": [], "langue": self.options.language,
        })
        return injected(self.cells[job.spec.stem], [runner, *self.explicit])

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

    def prepare(self, job: Job, given: Injected) -> tuple[dict, dict, str]:
        """Parameters with ``unavailable`` filled, notebook metadata and cache key."""
        inputs = self.inputs_of(job)
        ledger = self.ledgers[job.phase]
        if "unavailable" in given.values:
            given.values["unavailable"] = [
                name for name, sidecar in inputs
                if not sidecar.exists() or (ledger.get(name) or {}).get("status") in
                (FAILED, INTERRUPTED)]
        if job.spec.scope == "ri":
            read = self.data.ri(job.phase, job.pair, job.spec.ri)
        elif job.spec.scope == "pair":
            read = self.data.pair_synthesis(job.phase, job.pair, [s for _, s in inputs])
        else:
            read = self.data.programme_synthesis(job.phase, [s for _, s in inputs])
        settings = self.settings(job.phase, job.pair)
        params_hash = json_digest({"injected": given.digest(), "settings": settings.values,
                                   "thresholds": self.thresholds_digest(job.phase),
                                   "language": self.options.language})
        key = cache_key(notebook=self.notebook_digest(job.source), parameters=params_hash,
                        package=package_digest(), programme=self.programme_digest, inputs=read)
        metadata = {"job": job.id, "notebook": job.spec.stem, "pair": job.pair,
                    "phase": job.phase, "language": self.options.language,
                    "parameters": {**settings.values, **given.values},
                    "origins": {**settings.origins, **given.origins},
                    "parameters_hash": params_hash, "cache_key": key}
        return dict(given.values), metadata, key
