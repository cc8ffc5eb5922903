"""The plan of a run: its job graph, and for each job its parameters and cache key.

Per phase: every RI notebook × pair, then each pair synthesis (after that pair's RI notebooks),
then the programme synthesis (after everything else of the phase). A job's parameters are layered
(runner values, programme thresholds, then the user's phase, pair, file and command-line layers);
its cache key (:mod:`maroc_eval.run.keys`) is computed when its turn comes, from what it reads.
"""

from __future__ import annotations

from pathlib import Path

from .. import paths
from ..digest import file_sha256, package_digest
from ..ledger import FAILED, INTERRUPTED, Ledger
from .execute import Job
from .keys import cache_key, notebook_digest
from .parameters import Layer, resolve_path_value


def shown_path(path: Path) -> str:
    """A path as passed to notebooks: relative to the project root when inside it."""
    resolved = Path(path).resolve()
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
    """Static parameters, inputs and ledgers of a run; prepares each job when its turn comes."""

    def __init__(self, programme, options, battery, outputs, layers, data):
        self.programme, self.options, self.battery = programme, options, battery
        self.outputs, self.layers, self.data = outputs, layers, data
        self.ledgers: dict[str, Ledger] = {}
        self.programme_digest = file_sha256(options.programme_file)
        self._notebook_digests: dict[Path, str] = {}

    def notebook_digest(self, source: Path) -> str:
        """The notebook's digest, read once per run."""
        if source not in self._notebook_digests:
            self._notebook_digests[source] = notebook_digest(source)
        return self._notebook_digests[source]

    def layers_for(self, job: Job) -> list[Layer]:
        runner = Layer("runner", "", {
            "pair": job.pair, "phase": job.phase,
            "programme_file": shown_path(self.options.programme_file),
            "data_dir": shown_path(self.options.data_dir), "output_dir": shown_path(self.outputs),
            "results_dir": shown_path(self.outputs), "sidecar_path": shown_path(job.sidecar),
            "unavailable": [],
        })
        derived = Layer("programme", shown_path(self.options.programme_file),
                        self.programme.thresholds.as_parameters())
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
        data = self.data[data_folder_key(resolved)]
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


def data_folder_key(resolved) -> str:
    """The data folder a job reads (resolved ``data_dir`` parameter); ``""`` when the notebook
    has no such parameter (the run's ``--donnees`` then applies)."""
    return str(resolve_path_value(resolved.values.get("data_dir", "")).resolve()) \
        if "data_dir" in resolved.values else ""
