"""Where a notebook's time goes (issue 24): the profile breakdown of ``make bench``.

For one pair and phase (its six RI notebooks and its synthesis), on the ``maroc-eval`` kernel spec
(warm kernels; plain ones with ``MAROC_EVAL_WARM_KERNELS=0``), seconds per notebook (medians of
the seven, and totals) of:

- kernel start: a kernel started and ready (``wait_for_ready``), measured apart, five times;
- imports and data loading: the cell that opens the notebook's view (``open_ri``…), which imports
  the notebook layer and reads the programme and the data;
- chart rendering: the time matplotlib spends drawing figures (``print_figure``, timed by an
  instrumentation cell the profile adds; the notebooks are not changed);
- computation: the other code cells, chart rendering taken out;
- notebook writing: ``nbformat.write`` of the executed notebook;
- HTML export: the reports' exporter (``maroc_eval.report.exporter``) on the executed notebook.

Run from the project root: ``python bench/profile.py OUTPUT_DIR PHASE PAIR [KERNEL]``; prints JSON.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

STEMS = ("ri1_service_action_sociale", "ri2_planification_suivi", "ri3_competences_personnel",
         "ri4_infrastructures_sociales", "ri5_elus_budget_social", "ri7_partenariats_locaux",
         "synthese_partenariat")
INSTRUMENT = """\
import time as _bench_time
import matplotlib.backend_bases as _bench_bb
_bench_chart = [0.0]
_bench_print = _bench_bb.FigureCanvasBase.print_figure
def _bench_timed(self, *args, **kwargs):
    start = _bench_time.perf_counter()
    try:
        return _bench_print(self, *args, **kwargs)
    finally:
        _bench_chart[0] += _bench_time.perf_counter() - start
_bench_bb.FigureCanvasBase.print_figure = _bench_timed
"""
REPORT = "print(_bench_chart[0])"


def kernel_start(kernel: str, rounds: int = 5) -> dict:
    """Seconds to start a kernel until it answers (first start apart: a warm process starts)."""
    from jupyter_client.manager import KernelManager

    times = []
    for _ in range(rounds + 1):
        km = KernelManager(kernel_name=kernel)
        start = time.perf_counter()
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=120)
        times.append(time.perf_counter() - start)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return {"first": round(times[0], 3), "median": round(statistics.median(times[1:]), 3)}


def notebook_profile(stem: str, out: Path, phase: str, pair: str, kernel: str) -> dict:
    import nbformat
    import papermill

    from maroc_eval.report.exporter import make_exporter

    nb = nbformat.read(f"notebooks/{stem}.ipynb", as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    nb.cells.insert(at + 1, nbformat.v4.new_code_cell(INSTRUMENT))
    nb.cells.append(nbformat.v4.new_code_cell(REPORT))
    source = out / f".{stem}.profile.ipynb"
    nbformat.write(nb, source)
    target = out / phase / pair / f"{stem}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    done = papermill.execute_notebook(str(source), str(target), kernel_name=kernel,
                                      parameters={"pair": pair, "phase": phase,
                                                  "output_dir": str(out)}, progress_bar=False)
    chart = float(done.cells[-1].outputs[0]["text"])
    loading = computation = 0.0
    for cell in done.cells:
        if cell.cell_type != "code" or cell.source in (INSTRUMENT, REPORT):
            continue
        seconds = cell.metadata.get("papermill", {}).get("duration") or 0.0
        if "open_" in cell.source and "import" in cell.source:
            loading += seconds
        else:
            computation += seconds
    start = time.perf_counter()
    nbformat.write(done, target)
    writing = time.perf_counter() - start
    exporter = make_exporter()
    start = time.perf_counter()
    exporter.from_notebook_node(done)
    export = time.perf_counter() - start
    return {"imports_and_data_loading": loading, "computation": max(computation - chart, 0.0),
            "chart_rendering": chart, "notebook_writing": writing, "html_export": export}


def main(out: Path, phase: str, pair: str, kernel: str = "maroc-eval") -> dict:
    out.mkdir(parents=True, exist_ok=True)
    start = kernel_start(kernel)
    per = [notebook_profile(stem, out, phase, pair, kernel) for stem in STEMS]
    parts = {"kernel_start": start["median"]}
    parts.update({k: round(statistics.median(p[k] for p in per), 3) for k in per[0]})
    totals = {"kernel_start": round(start["median"] * len(per), 2)}
    totals.update({k: round(sum(p[k] for p in per), 2) for k in per[0]})
    return {"kernel": kernel, "notebooks": len(per), "phase": phase, "pair": pair,
            "first_kernel_start": start["first"], "median_per_notebook_seconds": parts,
            "total_seconds": totals,
            "largest": max(totals, key=totals.get)}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), sys.argv[2], sys.argv[3],
                          *(sys.argv[4:5] or ["maroc-eval"]))))
