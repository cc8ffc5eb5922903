"""The process-pool peer (issue 24): what a competent evaluator writes without maroc-eval.

papermill's Python API in a 2-worker :class:`~concurrent.futures.ProcessPoolExecutor` (plain
``python3`` kernels, one per notebook), each notebook converted to HTML by nbconvert's
``HTMLExporter`` right after it ran, in dependency order: every RI notebook, then the pair
syntheses, then the programme syntheses. Run from the project root (the notebooks' relative
paths are relative to it).

Usage: ``python bench/peer.py OUTPUT_DIR "PHASES" "PAIRS" [WORKERS]``.
"""

from __future__ import annotations

import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

RI = ("ri1_service_action_sociale", "ri2_planification_suivi", "ri3_competences_personnel",
      "ri4_infrastructures_sociales", "ri5_elus_budget_social", "ri7_partenariats_locaux")


def execute_and_convert(stem: str, output: str, parameters: dict) -> str:
    """papermill then nbconvert for one notebook; the HTML file written."""
    import papermill
    from nbconvert import HTMLExporter

    papermill.execute_notebook(f"notebooks/{stem}.ipynb", output, parameters=parameters,
                               kernel_name="python3", progress_bar=False)
    body, _ = HTMLExporter().from_filename(output)
    html = Path(output).with_suffix(".html")
    html.write_text(body, "utf-8")
    return str(html)


def main(out: Path, phases: list[str], pairs: list[str], workers: int = 2) -> int:
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        waves = [[(stem, phase, pair) for phase in phases for pair in pairs for stem in RI],
                 [("synthese_partenariat", phase, pair) for phase in phases for pair in pairs],
                 [("synthese_programme", phase, None) for phase in phases]]
        for wave in waves:
            futures = []
            for stem, phase, pair in wave:
                folder = out / phase / (pair or "programme")
                folder.mkdir(parents=True, exist_ok=True)
                parameters = {"phase": phase, "output_dir": str(out)}
                if pair:
                    parameters["pair"] = pair
                futures.append(pool.submit(execute_and_convert, stem,
                                           str(folder / f"{stem}.ipynb"), parameters))
            for future in futures:
                future.result(timeout=1800)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]), sys.argv[2].split(), sys.argv[3].split(),
                          int(sys.argv[4]) if len(sys.argv) > 4 else 2))
