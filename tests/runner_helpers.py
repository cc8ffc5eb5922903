"""Shared helpers of the runner tests: toy notebooks, a toy data folder, a subprocess driver.

The toy notebooks (``tests/notebooks``) take the battery's parameters, import nothing heavy and
write small deterministic JSON sidecars; they are named by behaviour (``broken``, ``dies``…).
"""

from __future__ import annotations

import contextlib
import csv
import json
import shutil
import sys
from pathlib import Path

import pandas as pd
import yaml

from maroc_eval.base import paths
from maroc_eval.base.catalogue import NotebookSpec
from maroc_eval.run.runner import InputData, RunOptions, run_battery

TESTS_DIR = Path(__file__).resolve().parent
TOYS = TESTS_DIR / "notebooks"
PAIRS = ("jette-sidi-bibi", "forest-jerada")

TOY_RI1 = NotebookSpec("toy_ri1", "ri", "RI1", "RI 1 (test)")
TOY_RI3 = NotebookSpec("toy_ri3", "ri", "RI3", "RI 3 (test)")
TOY_PAIR = NotebookSpec("toy_pair", "pair", None, "Synthèse du partenariat (test)")
TOY_PROGRAMME = NotebookSpec("toy_programme", "programme", None, "Synthèse du programme (test)")
BROKEN = NotebookSpec("broken", "ri", "RI2", "Carnet cassé")
DIES = NotebookSpec("dies", "ri", "RI4", "Noyau qui meurt")
LEAKS = NotebookSpec("leaks_global", "ri", "RI1", "Définit une globale")
READS = NotebookSpec("reads_global", "ri", "RI3", "Cherche la globale")
SLOW = NotebookSpec("slow", "ri", "RI5", "Carnet lent")
SILENT = NotebookSpec("silent", "ri", "RI7", "N'écrit pas de résultat")
PLOTS = NotebookSpec("plots_inline", "ri", "RI2", "Graphique pyplot sans affichage explicite")

TOY_BATTERY = (TOY_RI1, TOY_RI3, TOY_PAIR, TOY_PROGRAMME)
BATTERIES = {
    "toy": TOY_BATTERY,
    "slow": (TOY_RI1, SLOW, TOY_PAIR),
    "dies": (TOY_RI1, DIES, TOY_PAIR),
}

COLUMNS = ["pair", "indicator", "year", "value", "dimension", "category", "source", "comment",
           "file", "line"]
DEFAULT_ROWS = [
    (pair, code, year, value)
    for pair in PAIRS
    for code, value in (("RI1.2", 3.0), ("RI3.1", 10.0), ("RI3.2", 40.0))
    for year in (2007, 2010)
]


def toy_appraisals(data: dict | None):
    """The team's appraisals of the toy world, from ``{phase: {pair: {ri: text}}}``: each pair
    graded on some RIs, nothing else written."""
    from maroc_eval.core.appraisal import Appraisal, Grade
    from maroc_eval.core.appraisal_store import Appraisals

    return Appraisals({(phase, pair): Appraisal(who=pair, phase=phase, results={
        ri: Grade(score="B", text=text) for ri, text in by_ri.items()})
        for phase, by_pair in (data or {}).items() for pair, by_ri in by_pair.items()})


def write_data(folder: Path, rows=DEFAULT_ROWS, judgements: dict | None = None) -> Path:
    """Write a toy data folder: ``obs.csv`` (pair, indicator, year, value) and the team's
    grades on some RIs (``judgements.yml``, ``{phase: {pair: {ri: text}}}``)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "obs.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["pair", "indicator", "year", "value"])
        writer.writerows(rows)
    if judgements is None:
        judgements = {"midterm": {p: {"RI1": "constat RI1", "RI3": "constat RI3"} for p in PAIRS}}
    (folder / "judgements.yml").write_text(yaml.safe_dump(judgements, allow_unicode=True),
                                           encoding="utf-8")
    return folder


def toy_inputs(data_dir: Path, programme_file: Path) -> InputData:
    """The toy data loader: reads ``obs.csv`` and ``judgements.yml`` (no validation)."""
    frame = pd.read_csv(Path(data_dir) / "obs.csv")
    for column in ("dimension", "category", "source", "comment"):
        frame[column] = ""
    frame["file"] = str(Path(data_dir) / "obs.csv")
    frame["line"] = range(2, len(frame) + 2)
    judgements = yaml.safe_load((Path(data_dir) / "judgements.yml").read_text(encoding="utf-8"))
    return InputData(frame[COLUMNS], toy_appraisals(judgements))


def params(tmp: Path) -> Path:
    """A ``params/`` folder of the toy world: the shipped programme, empty phase and pair
    folders beside it (``tmp/params/phases``, ``tmp/params/pairs``); the programme file."""
    folder = tmp / "params"
    (folder / "phases").mkdir(parents=True, exist_ok=True)
    (folder / "pairs").mkdir(exist_ok=True)
    programme = folder / "programme.yml"
    if not programme.exists():
        shutil.copy(paths.PROGRAMME_FILE, programme)
    return programme


def options(tmp: Path, **overrides) -> RunOptions:
    """Run options on the toy world: midterm, two pairs, quiet, two workers."""
    base = dict(phase="midterm", pairs=PAIRS, data_dir=tmp / "data", outputs=tmp / "out",
                jobs=2, quiet=True, programme_file=params(tmp))
    base.update(overrides)
    return RunOptions(**base)


def run(tmp: Path, battery=TOY_BATTERY, echo=None, **overrides):
    """Run a toy battery in ``tmp`` (its own params/ folder: see :func:`params`)."""
    kw = {k: overrides.pop(k) for k in ("executor",) if k in overrides}
    return run_battery(options(tmp, **overrides), echo=echo or (lambda line: None),
                       battery=battery, notebooks_dir=TOYS, inputs_loader=toy_inputs, **kw)


def sidecar(tmp: Path, pair: str, stem: str, phase: str = "midterm") -> dict:
    """Read a toy sidecar."""
    folder = "programme" if pair == "programme" else pair
    return json.loads((tmp / "out" / phase / folder / f"{stem}.json").read_text("utf-8"))


def alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def descendants(pid: int) -> set[int]:
    """Every live (non-zombie) process below ``pid``."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and alive(int(entry.name)):
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def driver_command(tmp: Path, battery: str, params: list[tuple[str, str]], jobs: int = 1,
                   executor: str = "rapide") -> list:
    """The command of a ``maroc-eval run`` on the toy world in a separate process."""
    spec = json.dumps({"tmp": str(tmp), "battery": battery, "params": params, "jobs": jobs,
                       "executor": executor})
    code = (f"import sys; sys.path.insert(0, {str(TESTS_DIR)!r}); "
            "import runner_helpers; runner_helpers.main()")
    return [sys.executable, "-c", code, spec]


def main() -> None:
    """Entry point of :func:`driver_command`: the CLI's error handling around a toy run."""
    import click

    from maroc_eval.cli import _reports_errors
    from maroc_eval.run.executors import executors

    spec = json.loads(sys.argv[1])
    tmp = Path(spec["tmp"])

    @_reports_errors
    def go():
        result = run(tmp, BATTERIES[spec["battery"]], echo=click.echo,
                     params=tuple(map(tuple, spec["params"])), jobs=spec["jobs"],
                     pairs=PAIRS[:1], executor=executors.get(spec["executor"])())
        sys.exit(result.exit_status)

    go()
