"""The cost of the sensitivity annexes (issue 26, item 2), measured within the benchmark's run.

Every annex the reports of a cold run carry — one per pair and phase, one per phase for the
programme — is computed again from that run's results, in this process, several times; the
median is set against the cold run + report it belongs to. The sweep only reads achievements the
run computed, so its cost should be a rounding error of the run.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from measure import say

from maroc_eval.core.programme import load_programme
from maroc_eval.report.build import build_reports  # noqa: F401  (the report layer, loaded)
from maroc_eval.report.inputs import load_pair, load_programme_output, read_ledger
from maroc_eval.report.sensitivity_annex import pair_annex, programme_annex


def sensitivity_cost(out: Path, programme_file: Path, cold_seconds: float,
                     rounds: int = 5) -> dict:
    """Time every sensitivity annex of the outputs ``out``; the figures and the ratio to the
    cold run + report."""
    programme = load_programme(programme_file)
    inputs = []
    for code, phase in programme.phases.items():
        entries = read_ledger(out, code)
        pairs = {p: load_pair(out, code, p, entries) for p in programme.pair_codes}
        inputs.append((phase.summative, pairs, load_programme_output(out, code, entries)))
    labels = {p.code: p.label for p in programme.pairs}
    times, annexes = [], 0
    for _ in range(rounds):
        start, annexes = time.perf_counter(), 0
        for summative, pairs, _programme_output in inputs:
            for pin in pairs.values():
                if pin.exists:
                    pair_annex(pin.ri_results, summative)
                    annexes += 1
            results = {p: (i.synthesis.sidecar if i.synthesis.available else None)
                       for p, i in pairs.items()}
            programme_annex(results, labels, summative)
            annexes += 1
        times.append(time.perf_counter() - start)
    seconds = statistics.median(times)
    found = {"annexes": annexes, "seconds": round(seconds, 4), "rounds": rounds,
             "over_cold": round(seconds / cold_seconds, 5) if cold_seconds else None}
    say("Annexes de sensibilité : toutes (s)", found["seconds"])
    say("Annexes de sensibilité / froid", found["over_cold"])
    return found
