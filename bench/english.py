"""The cost of the English set (issue 18), measured within the benchmark's run.

The whole sample in English, cold (``maroc-eval run --langue en`` then ``maroc-eval report
--langue en --formats html``, into ``<out>/en``), against the French cold run + report of the
same benchmark run: the ratio says what speaking English costs (catalogue lookups, the
translated Markdown prose, the English notebooks) on top of the French battery.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from measure import say, timed


def english_cost(maroc: str, data: Path, out: Path, proj: Path, env: dict,
                 french_seconds: float) -> dict:
    """Time the English battery and reports from scratch; return the figures and the ratio.

    Parameters
    ----------
    maroc : str
        The ``maroc-eval`` executable.
    data, out : Path
        The data folder and a fresh output folder (its ``en`` subfolder is written).
    proj : Path
        The project snapshot (working directory).
    env : dict
        The environment of the commands.
    french_seconds : float
        The French cold run + report of the same benchmark run (median).
    """
    shutil.rmtree(out, ignore_errors=True)
    run = timed([maroc, "run", "-q", "--langue", "en", "--donnees", str(data),
                 "--sorties", str(out)], proj, env, sample=True)
    report = timed([maroc, "report", "--langue", "en", "--formats", "html",
                    "--sorties", str(out)], proj, env)
    total = run["seconds"] + report["seconds"]
    reports = sorted((out / "en").glob("*/*/rapport-*.html"))
    result = {"run": run, "report": report, "seconds": round(total, 2),
              "reports": len(reports), "french_cold_seconds": french_seconds,
              "over_french_cold": round(total / french_seconds, 3) if french_seconds else None,
              "ok": run["status"] == 0 and report["status"] == 0}
    say("Anglais à froid : run (s)", run["seconds"])
    say("Anglais à froid : report (s)", report["seconds"])
    say("Anglais à froid : run + report / français à froid", result["over_french_cold"])
    return result
