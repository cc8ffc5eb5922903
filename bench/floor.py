"""The floor of the benchmark: the notebooks' code in already-warm interpreters.

Each worker process imports the stack once (IPython shell with the inline matplotlib backend,
pandas, matplotlib, maroc_eval), then runs each notebook's code cells, with its parameters
injected, in a reset namespace; figures are rendered (PNG) as in a kernel. No kernel start, no
import, no notebook written: what the work itself costs.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

WARM_MODULES = ("pandas", "matplotlib.pyplot", "maroc_eval.base.markup", "maroc_eval.notebook",
                "maroc_eval.notebook.context", "maroc_eval.notebook.charts",
                "maroc_eval.notebook.tables", "maroc_eval.notebook.riview",
                "maroc_eval.notebook.ri_specific", "maroc_eval.notebook.pair_synthesis",
                "maroc_eval.notebook.programme_synthesis")
_shell = None


def _init(root: str) -> None:
    global _shell
    import importlib

    os.chdir(root)
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    from IPython.core.interactiveshell import InteractiveShell

    _shell = InteractiveShell.instance()
    for name in WARM_MODULES:
        importlib.import_module(name)


def _code_cells(source: str) -> list[tuple[str, bool]]:
    import nbformat

    nb = nbformat.read(source, as_version=4)
    return [(c.source, "parameters" in c.metadata.get("tags", [])) for c in nb.cells
            if c.cell_type == "code"]


def run_one(source: str, params: dict) -> float:
    """Execute one notebook's code with ``params``; return its seconds (raises on error)."""
    from IPython.utils.capture import capture_output

    start = time.perf_counter()
    _shell.reset(new_session=False)
    injected = "\n".join(f"{k} = {v!r}" for k, v in params.items())
    with capture_output():
        for code, is_params in _code_cells(source):
            result = _shell.run_cell(code + ("\n" + injected if is_params else ""),
                                     store_history=False, silent=False)
            if not result.success:
                raise RuntimeError(f"{source}: {result.error_in_exec or result.error_before_exec}")
    return time.perf_counter() - start


def run_floor(root: Path, notebooks: Path, phases, pairs, ri_stems, output_dir: Path,
              data_dir: Path, workers: int = 2) -> float:
    """Run the battery's code in ``workers`` warm processes; return the wall seconds.

    Worker start-up (imports) happens before the clock starts.
    """
    ctx = get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init,
                             initargs=(str(root),)) as pool:
        list(pool.map(_init_probe, range(workers * 4)))  # make sure every worker is warm
        start = time.perf_counter()
        base = {"output_dir": str(output_dir), "data_dir": str(data_dir)}
        for phase in phases:
            futures = [pool.submit(run_one, str(notebooks / f"{s}.ipynb"),
                                   {**base, "pair": p, "phase": phase})
                       for p in pairs for s in ri_stems]
            [f.result() for f in futures]
            futures = [pool.submit(run_one, str(notebooks / "synthese_partenariat.ipynb"),
                                   {**base, "pair": p, "phase": phase}) for p in pairs]
            [f.result() for f in futures]
            pool.submit(run_one, str(notebooks / "synthese_programme.ipynb"),
                        {**base, "phase": phase}).result()
        return time.perf_counter() - start


def _init_probe(_: int) -> int:
    time.sleep(0.2)
    return os.getpid()
