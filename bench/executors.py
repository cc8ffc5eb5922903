"""The two executors compared: ``maroc-eval run --executeur simple`` against ``rapide``, cold.

``simple`` is papermill as it is (nbclient starts each notebook's kernel); ``rapide`` starts
kernels ahead of need, forked from a warm process. Each round runs, on empty outputs, ``run``
then ``report`` with ``simple``, then the same with ``rapide``; the figures are medians over
the rounds, and the ratio is rapide's total over simple's.

``make bench`` calls :func:`compare_executors` (``BENCH_EXECUTOR_RUNS`` rounds, default 1;
``BENCH_SKIP=executors`` to leave it out). Alone, on a snapshot of the project::

    .venv/bin/python bench/executors.py [--rounds N] [--record]

``--record`` writes the figures into ``bench/results.json`` (key ``executors``, with the time
and load of that measurement), leaving the other figures as they are.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from measure import median, say, timed  # noqa: E402
from snapshot import BIN, project_env, snapshot  # noqa: E402

EXECUTORS = ("simple", "rapide")


def compare_executors(maroc: str, data: Path, out: Path, cwd: Path, env: dict,
                      rounds: int = 1) -> dict:
    """Time ``run`` + ``report`` from empty outputs with each executor, ``rounds`` times.

    Parameters
    ----------
    maroc : str
        The ``maroc-eval`` command.
    data : Path
        The data folder (``--donnees``).
    out : Path
        The output folder, emptied before each run.
    cwd : Path
        The project root the commands run in.
    env : dict
        Their environment.
    rounds : int
        Rounds (each: simple, then rapide).

    Returns
    -------
    dict
        Per executor: each run's and report's seconds and status, their medians and the total;
        ``rapide_over_simple``: the ratio of the totals.
    """
    found = {name: {"runs": [], "reports": []} for name in EXECUTORS}
    for _ in range(rounds):
        for name in EXECUTORS:
            shutil.rmtree(out, ignore_errors=True)
            found[name]["runs"].append(timed(
                [maroc, "run", "-q", "--executeur", name, "--donnees", str(data),
                 "--sorties", str(out)], cwd, env, sample=True))
            found[name]["reports"].append(timed([maroc, "report", "--sorties", str(out)],
                                                cwd, env))
    for name in EXECUTORS:
        entry = found[name]
        entry["run_seconds"] = median([r["seconds"] for r in entry["runs"]])
        entry["report_seconds"] = median([r["seconds"] for r in entry["reports"]])
        entry["total_seconds"] = median([a["seconds"] + b["seconds"] for a, b in
                                         zip(entry["runs"], entry["reports"], strict=True)])
        entry["ok"] = all(r["status"] == 0 for r in entry["runs"] + entry["reports"])
        say(f"Exécuteur {name}, à froid : run / report / total (s)",
            f"{entry['run_seconds']} / {entry['report_seconds']} / {entry['total_seconds']}")
    found["rounds"] = rounds
    found["rapide_over_simple"] = round(found["rapide"]["total_seconds"] /
                                        found["simple"]["total_seconds"], 3)
    say("Exécuteurs : rapide / simple (run + report)", found["rapide_over_simple"])
    return found


def main() -> int:
    """Compare the executors alone, on a snapshot of the project."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=1, help="rounds (default 1)")
    parser.add_argument("--record", action="store_true",
                        help="write the figures into bench/results.json (key 'executors')")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="maroc-bench-exec-"))
    try:
        proj = snapshot(tmp / "proj")
        started = time.ctime()
        load = os.getloadavg()
        result = compare_executors(str(BIN / "maroc-eval"), proj / "data" / "sample",
                                   tmp / "out", proj, project_env(proj, proj), args.rounds)
        result.update(started=started, load_avg_at_start=load, measured_alone=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if args.record:
        path = BENCH_DIR / "results.json"
        results = json.loads(path.read_text("utf-8"))
        results["executors"] = result
        path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
        print(f"Résultats : {path} (clé « executors »)")
    else:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
