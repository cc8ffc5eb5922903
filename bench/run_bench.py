"""``make bench``: time maroc-eval against the hand-written papermill + nbconvert loop.

Everything runs on a snapshot of the project (``params``, ``data``, ``notebooks``, ``templates``,
``src``) in a temporary folder, so edits made meanwhile do not disturb the cache measurements.
Figures are printed and written to ``bench/results.json``. Environment knobs (for a quicker run):
``BENCH_BASELINE_FULL=1`` times the whole hand-written loop instead of one pair (both phases)
extrapolated; ``BENCH_COLD_RUNS`` (default 3), ``BENCH_RERUNS`` (5), ``BENCH_CHANGED_RUNS`` (4);
``BENCH_SCALE_PAIRS`` (60, 0 to skip); ``BENCH_EXECUTOR_RUNS`` (1: rounds of the executors'
comparison, ``bench/executors.py``); ``BENCH_FORMAT_RUNS`` (1: rounds of the PDF and Word cost,
``bench/formats.py``); ``BENCH_SKIP`` (comma list of baseline, peer, profile, plain, floor, scale,
executors, hostile, formats, english). The peer is the process pool a competent evaluator writes
(``bench/peer.py``); the profile, where one pair's notebooks spend their time
(``bench/profile.py``); ``plain``, the cold run + report with warm kernels switched off.
The ``report`` of the cold, rerun and one-value measures is HTML only
(``--formats html``), as the hand-written loop; the PDF and Word cost is measured apart, and so
is the English set (cold run + report in English against the French ones, ``bench/english.py``).
"""

from __future__ import annotations

import csv
import io
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from english import english_cost  # noqa: E402
from executors import compare_executors  # noqa: E402
from floor import run_floor  # noqa: E402
from formats import formats_cost  # noqa: E402
from hostile import bounded_cost  # noqa: E402
from make_programme import make_programme  # noqa: E402
from measure import median, say, timed  # noqa: E402
from snapshot import BIN, project_env, snapshot  # noqa: E402

from maroc_eval.base import paths  # noqa: E402
from maroc_eval.base.catalogue import RI_NOTEBOOKS  # noqa: E402
from maroc_eval.core.programme import load_programme  # noqa: E402

PAIR_REPORT_LIMIT = 2 * 1024 * 1024
WARM_SWITCH = "MAROC_EVAL_WARM_KERNELS"  # "0": the portable path (plain kernels)


def change_one_value(data_dir: Path, pair: str, step: float) -> str:
    """Add ``step`` to the first RI3 row of ``pair`` in 2010; return what changed."""
    path = data_dir / paths.SAMPLE_OBSERVATIONS.name
    lines = path.read_text("utf-8").splitlines(keepends=True)
    comments = [line for line in lines if line.startswith("#")]
    body = [line for line in lines if not line.startswith("#")]
    rows = list(csv.DictReader(body))
    for row in rows:
        if row["partenariat"] == pair and row["indicateur"].startswith("RI3.") and \
                row["annee"] == "2010" and row["valeur"]:
            row["valeur"] = f"{float(row['valeur']) + step:g}"
            changed = f"{pair} {row['indicateur']} 2010 → {row['valeur']}"
            break
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text("".join(comments) + out.getvalue(), "utf-8")
    return changed


def main() -> int:
    """Run every measurement and write ``bench/results.json``."""
    knobs = {k: os.environ.get(k) for k in ("BENCH_BASELINE_FULL", "BENCH_COLD_RUNS",
                                            "BENCH_RERUNS", "BENCH_CHANGED_RUNS",
                                            "BENCH_SCALE_PAIRS", "BENCH_EXECUTOR_RUNS",
                                            "BENCH_FORMAT_RUNS", "BENCH_SKIP")}
    skip = set(filter(None, (knobs["BENCH_SKIP"] or "").split(",")))
    cold_runs = int(knobs["BENCH_COLD_RUNS"] or 3)
    reruns = int(knobs["BENCH_RERUNS"] or 5)
    changed_runs = int(knobs["BENCH_CHANGED_RUNS"] or 4)
    scale_pairs = int(knobs["BENCH_SCALE_PAIRS"] or 60)
    tmp = Path(tempfile.mkdtemp(prefix="maroc-bench-"))
    proj = snapshot(tmp / "proj")
    env = project_env(proj, proj)
    data = proj / "data" / "bench"
    shutil.copytree(proj / "data" / "sample", data)
    programme = load_programme(proj / "params" / "programme.yml")
    phases, pairs = list(programme.phases), programme.pair_codes
    n_ri = len(RI_NOTEBOOKS)
    total = len(phases) * (len(pairs) * (n_ri + 1) + 1)
    results: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                 "load_avg_at_start": os.getloadavg()},
                     "notebooks_in_battery": total, "knobs": knobs, "started": time.ctime()}
    maroc = str(BIN / "maroc-eval")
    html = ["--formats", "html"]
    print(f"Banc d'essai : {total} carnets, {len(pairs)} partenariats, copie dans {tmp}",
          flush=True)

    # 1. Hand-written loop: papermill CLI then nbconvert CLI, one notebook at a time.
    if "baseline" not in skip:
        full = knobs["BENCH_BASELINE_FULL"] == "1"
        sub_pairs = pairs if full else pairs[:1]
        count = total if full else len(phases) * len(sub_pairs) * (n_ri + 1)
        run = timed(["bash", str(BENCH_DIR / "baseline.sh"), str(BIN), str(tmp / "base"),
                     " ".join(phases), " ".join(sub_pairs), "1" if full else "0"], proj, env)
        per = run["seconds"] / count
        results["baseline"] = {
            "mode": "full" if full else f"subset: {sub_pairs[0]}, both phases ({count} notebooks), "
                                        "extrapolated linearly to the battery",
            "measured_seconds": run["seconds"], "measured_notebooks": count,
            "seconds_per_notebook": round(per, 2), "battery_seconds": round(per * total, 1)}
        say("Boucle papermill + nbconvert (s, batterie" + ("" if full else ", extrapolée") + ")",
            results["baseline"]["battery_seconds"])

    # 1b. The process-pool peer: papermill's Python API in 2 worker processes, then nbconvert.
    if "peer" not in skip:
        peer = timed([sys.executable, str(BENCH_DIR / "peer.py"), str(tmp / "peer"),
                      " ".join(phases), " ".join(pairs), "2"], proj, env)
        results["peer"] = {"what": "papermill Python API in a 2-worker ProcessPoolExecutor "
                                   "(forkserver, python3 kernels), each notebook then nbconvert "
                                   "HTMLExporter, whole battery", **peer}
        say("Pair : pool de 2 processus papermill + nbconvert (s, batterie)", peer["seconds"])

    # 1c. Profile: where one pair's notebooks spend their time (warm kernels, then plain ones).
    if "profile" not in skip:
        results["profile"] = {}
        for label, kernel_env in (("warm", env), ("plain", {**env, WARM_SWITCH: "0"})):
            done = subprocess.run([sys.executable, str(BENCH_DIR / "profile.py"),
                                   str(tmp / f"profile_{label}"), phases[0], pairs[0]],
                                  cwd=proj, env=kernel_env, capture_output=True, text=True)
            if done.returncode == 0:
                results["profile"][label] = json.loads(done.stdout.strip().splitlines()[-1])
                say(f"Profil ({label}) : s par carnet (médianes)",
                    results["profile"][label]["median_per_notebook_seconds"])
            else:
                print(done.stderr[-2000:], flush=True)

    # 2. maroc-eval cold, run + report.
    out = tmp / "out"
    colds, cold_runs_s, reports = [], [], []
    for _ in range(cold_runs):
        shutil.rmtree(out, ignore_errors=True)
        run = timed([maroc, "run", "-q", "--donnees", str(data), "--sorties", str(out)], proj, env,
                    sample=True)
        rep = timed([maroc, "report", *html, "--sorties", str(out)], proj, env)
        colds.append(run)
        cold_runs_s.append(run["seconds"])
        reports.append(rep)
    report_ok = all(r["status"] == 0 for r in reports)
    cold_total = median([c["seconds"] + (r["seconds"] if report_ok else 0)
                         for c, r in zip(colds, reports, strict=True)])
    results["cold"] = {"runs": colds, "reports": reports, "report_available": report_ok,
                       "run_seconds": median(cold_runs_s),
                       "report_seconds": (median([r["seconds"] for r in reports])
                                          if report_ok else None),
                       "total_seconds": cold_total}
    say("maroc-eval à froid : run (s)", results["cold"]["run_seconds"])
    say("maroc-eval à froid : report (s)", results["cold"]["report_seconds"] or "indisponible")
    say("maroc-eval à froid : run + report (s)", cold_total)
    reports_html = sorted(out.glob("*/*/rapport-*.html"), key=lambda p: p.stat().st_size)
    pair_reports = [p for p in reports_html if p.parent.name != "programme"]
    if pair_reports:
        big = pair_reports[-1]
        results["largest_pair_report"] = {"file": str(big.relative_to(out)),
                                          "bytes": big.stat().st_size,
                                          "under_2mb": big.stat().st_size < PAIR_REPORT_LIMIT}
        say("Plus gros rapport de partenariat (octets)",
            f"{big.stat().st_size} "
            f"({'< 2 Mo' if big.stat().st_size < PAIR_REPORT_LIMIT else 'TROP GROS : ≥ 2 Mo'})")

    # 2b. The PDF and Word versions: report with every format against HTML only (issue 16).
    if report_ok and "formats" not in skip:
        results["formats"] = formats_cost(maroc, out, proj, env,
                                          int(knobs["BENCH_FORMAT_RUNS"] or 1))

    # 2b'. The sensitivity annexes computed again from the cold run's results (issue 26).
    if report_ok and "sensitivity" not in skip:
        from sensitivity import sensitivity_cost

        results["sensitivity"] = sensitivity_cost(out, proj / "params" / "programme.yml",
                                                  cold_total)

    # 2c. The English set, cold, against the French cold run + report (issue 18).
    if report_ok and "english" not in skip:
        results["english"] = english_cost(maroc, data, tmp / "out_en", proj, env, cold_total)

    # 2d. The portable path: warm kernels switched off (what macOS and Windows get), cold.
    if "plain" not in skip:
        plain_env = {**env, WARM_SWITCH: "0"}
        plain_out = tmp / "out_plain"
        run = timed([maroc, "run", "-q", "--donnees", str(data), "--sorties", str(plain_out)],
                    proj, plain_env)
        rep = timed([maroc, "report", *html, "--sorties", str(plain_out)], proj, plain_env)
        results["plain_cold"] = {"run": run, "report": rep,
                                 "total_seconds": round(run["seconds"] + rep["seconds"], 2)}
        say("Chemin portable (noyaux ordinaires) à froid : run + report (s)",
            results["plain_cold"]["total_seconds"])

    # 3. Rerun with nothing changed: run, then report (what `make report` does again).
    again = []
    for _ in range(reruns):
        run = timed([maroc, "run", "-q", "--donnees", str(data), "--sorties", str(out)], proj, env)
        rep = timed([maroc, "report", *html, "--sorties", str(out)], proj, env) \
            if report_ok else None
        again.append({"run": run["seconds"], "report": rep and rep["seconds"]})
    results["rerun_unchanged"] = {
        "runs": again, "run_seconds": median([a["run"] for a in again]),
        "seconds": median([a["run"] + (a["report"] or 0) for a in again])}
    say("Relance sans changement : run (s, médiane)", results["rerun_unchanged"]["run_seconds"])
    say("Relance sans changement : run + report (s, médiane)",
        results["rerun_unchanged"]["seconds"])

    # 4. One pair's value changed.
    changed, what = [], []
    for i in range(changed_runs):
        what.append(change_one_value(data, pairs[1], 1 if i % 2 == 0 else -1))
        run = timed([maroc, "run", "-q", "--donnees", str(data), "--sorties", str(out)], proj, env)
        rep = timed([maroc, "report", *html, "--sorties", str(out)], proj, env) \
            if report_ok else None
        changed.append({"run": run["seconds"], "report": rep and rep["seconds"]})
    changed_total = median([c["run"] + (c["report"] or 0) for c in changed])
    rerun_count = 0  # notebooks the last run executed: ledger entries written during it
    for ph in phases:
        ledger = json.loads((out / ph / "ledger.json").read_text("utf-8"))
        rerun_count += sum(e.get("finished", "") >= ledger["run"]["started"]
                           for e in ledger["entries"].values())
    results["one_pair_changed"] = {"changes": what, "runs": changed, "seconds": changed_total,
                                   "notebooks_executed_last_run": rerun_count}
    say("Une valeur d'un partenariat modifiée : run + report (s)", changed_total)

    # 5. Floor: the same code in warm interpreters.
    if "floor" not in skip:
        floor = run_floor(proj, proj / "notebooks", phases, pairs, [s.stem for s in RI_NOTEBOOKS],
                          tmp / "floor", data, workers=os.cpu_count() or 2)
        results["floor"] = {"seconds": round(floor, 2), "workers": os.cpu_count()}
        say("Plancher : code des carnets, processus déjà chauds (s)", round(floor, 2))

    # 6. Scale: one phase cold, 6 pairs then N pairs.
    if scale_pairs and "scale" not in skip:
        phase = phases[0]
        six = timed([maroc, "run", "-q", "--phase", phase, "--donnees", str(data),
                     "--sorties", str(tmp / "out6")], proj, env, sample=True)
        big_proj = tmp / "proj_n"
        for name in ("params", "data", "notebooks", "templates"):
            shutil.copytree(proj / name, big_proj / name)
        make_programme(proj, big_proj, scale_pairs)
        many = timed([maroc, "run", "-q", "--phase", phase, "--sorties", str(tmp / "outN")],
                     big_proj, project_env(big_proj, proj), sample=True)
        results["scale"] = {"phase": phase, "pairs_small": len(pairs), "pairs_large": scale_pairs,
                            "small": six, "large": many,
                            "ratio": round(many["seconds"] / six["seconds"], 2),
                            "pairs_ratio": round(scale_pairs / len(pairs), 2)}
        say(f"{phase}, {len(pairs)} partenariats à froid (s / pic runner Mo / pic noyaux Mo)",
            f"{six['seconds']} / {six.get('runner_peak_mb')} / {six.get('kernels_peak_mb')}")
        say(f"{phase}, {scale_pairs} partenariats à froid (s / pic runner Mo / pic noyaux Mo)",
            f"{many['seconds']} / {many.get('runner_peak_mb')} / {many.get('kernels_peak_mb')}")

    # 7. The two executors, cold: run + report with --executeur simple, then rapide.
    if "executors" not in skip:
        results["executors"] = compare_executors(
            maroc, data, tmp / "out_exec", proj, env, int(knobs["BENCH_EXECUTOR_RUNS"] or 1))

    # 8. Bounded cost on hostile input (issue 13): every file ≤ 20 MB in ≤ 10 s and ≤ 500 MB.
    if "hostile" not in skip:
        say("Entrées hostiles (maroc-eval validate, un fichier à la fois)", "")
        results["hostile"] = bounded_cost(maroc, proj, env)
        say("Entrées hostiles : pire durée (s)", results["hostile"]["worst_seconds"])
        say("Entrées hostiles : pire mémoire (Mo)", results["hostile"]["worst_peak_mb"])

    # Ratios.
    ratios = {}
    if "baseline" in results:
        ratios["cold_over_baseline"] = round(cold_total / results["baseline"]["battery_seconds"], 3)
    if "peer" in results:
        ratios["cold_over_peer"] = round(cold_total / results["peer"]["seconds"], 3)
    if "plain_cold" in results:
        ratios["plain_cold_over_peer"] = round(results["plain_cold"]["total_seconds"] /
                                               results["peer"]["seconds"], 3) \
            if "peer" in results else None
        if "baseline" in results:
            ratios["plain_cold_over_baseline"] = round(
                results["plain_cold"]["total_seconds"] / results["baseline"]["battery_seconds"], 3)
        ratios["plain_cold_over_cold"] = round(results["plain_cold"]["total_seconds"] / cold_total,
                                               3)
    if "floor" in results:
        ratios["cold_run_over_floor"] = round(results["cold"]["run_seconds"] /
                                              results["floor"]["seconds"], 2)
    ratios["one_pair_changed_over_cold"] = round(changed_total / cold_total, 3)
    ratios["rerun_unchanged_seconds"] = results["rerun_unchanged"]["seconds"]
    if "sensitivity" in results:
        ratios["sensitivity_over_cold"] = results["sensitivity"]["over_cold"]
    if "scale" in results:
        ratios[f"{scale_pairs}_over_{len(pairs)}_pairs"] = results["scale"]["ratio"]
    if "formats" in results:
        ratios["all_formats_over_html_report"] = results["formats"]["all_over_html_only"]
    if "english" in results:
        ratios["english_over_french_cold"] = results["english"]["over_french_cold"]
    if "executors" in results:
        ratios["rapide_over_simple"] = results["executors"]["rapide_over_simple"]
    results["ratios"] = ratios
    results["targets"] = {"cold_over_baseline": 0.08, "cold_over_peer": 0.35,
                          "rerun_unchanged_seconds": 1.0,
                          "one_pair_changed_over_cold": 0.25, "scale_ratio": 10.5,
                          "runner_peak_mb": 1024, "hostile_seconds": 10.0, "hostile_peak_mb": 500}
    results["finished"] = time.ctime()
    for name, value in ratios.items():
        say(f"ratio {name}", value)
    if skip:  # a partial sitting: the measures it skipped keep their last recorded values
        try:
            previous = json.loads((BENCH_DIR / "results.json").read_text("utf-8"))
        except (OSError, ValueError):
            previous = {}
        results = {**{k: v for k, v in previous.items() if k not in results},
                   **results, "skipped_kept_from_earlier": sorted(set(previous) - set(results))}
    (BENCH_DIR / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False)
                                            + "\n",
                                            "utf-8")
    print(f"Résultats : {BENCH_DIR / 'results.json'}")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
