"""Bounded cost on hostile input: every file ≤ 20 MB answered within 10 s and 500 MB.

Each case is a file written here (never committed) and given to ``maroc-eval validate``, alone, in
its own process; the workbooks and CSV files of ``tests/hostile_inputs.py`` (decompression bombs,
200 000 rows, row 1 048 576, column XFD, a 5 MB cell, a 200 000-column header, a 15 MB CSV cell,
and the largest workbook accepted) also to ``maroc-eval importer``. The process's wall time and
peak resident memory (``wait4``) are measured. The worst case is what the closing notes quote.
Run alone with ``python bench/hostile.py [--record]`` (``--record`` writes the key ``hostile`` of
``bench/results.json``, leaving the other figures as they are).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from hostile_inputs import WRITERS, xlsx_at_the_limit

MB = 1024 * 1024
SIZE = 19 * MB
HEADER = b"partenariat,indicateur,annee,valeur,ventilation,source,commentaire\n"
LIMITS = {"seconds": 10.0, "peak_mb": 500}


def _repeat(path: Path, header: bytes, row: bytes, size: int = SIZE) -> None:
    with path.open("wb") as fh:
        fh.write(header)
        fh.write(row * ((size - len(header)) // len(row)))


def _yaml_aliases(path: Path) -> None:
    """A billion-laughs document: each level refers nine times to the one below."""
    lines = ['a0: &a0 ["lol"]']
    lines += [f"a{i}: &a{i} [{', '.join(['*a' + str(i - 1)] * 9)}]" for i in range(1, 30)]
    path.write_text("\n".join(lines) + "\n")


CASES = {
    "csv-partenariats-inconnus.csv": lambda p: _repeat(p, HEADER, b"x,RI1.2,2009,3,,,\n"),
    "csv-en-tete-etranger.csv": lambda p: _repeat(p, b"x,y,z,w\n", b"x,y,z,w\n"),
    "csv-valeurs-non-numeriques.csv":
        lambda p: _repeat(p, HEADER, b"jette-sidi-bibi,RI1.2,2009,beaucoup,,,\n"),
    "csv-valide-long.csv":
        lambda p: _repeat(p, HEADER, b"jette-sidi-bibi,RI1.2,2008,1,,Organigramme,note\n"),
    "csv-une-seule-ligne.csv": lambda p: p.write_bytes(HEADER + b"x" * (SIZE - len(HEADER))),
    "csv-octets-nuls.csv": lambda p: _repeat(p, HEADER, b"jette-sidi-bibi,RI1.2,\x00,1,,,\n"),
    "csv-binaire.csv": lambda p: p.write_bytes(os.urandom(SIZE)),
    "appreciations-alias.yml": _yaml_aliases,
    "appreciations-imbrication.yml": lambda p: p.write_text("a: " + "[" * (MB // 2) + "\n"),
    "appreciations-cles.yml":
        lambda p: p.write_text("".join(f"k{i}: {i}\n" for i in range(MB // 12))),
    **WRITERS,
    "xlsx-a-la-limite.xlsx": xlsx_at_the_limit,
}
IMPORTED = [name for name in CASES if name in WRITERS or name == "xlsx-a-la-limite.xlsx"]
"""The cases given to ``maroc-eval importer`` too (it loads workbooks whole)."""


def measure(cli: str, path: Path, cwd: Path, env: dict, command: str = "validate") -> dict:
    """Wall seconds, peak memory (MB) and exit status of ``maroc-eval <command> path``."""
    start = time.perf_counter()
    proc = subprocess.Popen([cli, command, str(path)], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out_lines = 0
    for _ in proc.stdout:
        out_lines += 1
    proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"bytes": path.stat().st_size, "seconds": round(time.perf_counter() - start, 2),
            "peak_mb": round(usage.ru_maxrss / 1024, 1), "exit": proc.returncode,
            "lines_printed": out_lines}


def bounded_cost(cli: str, cwd: Path, env: dict) -> dict:
    """Run every case; return the measures, the worst time and memory, and whether all fit."""
    cases = {}
    with tempfile.TemporaryDirectory(prefix="maroc-eval-bench-") as tmp:
        for name, make in CASES.items():
            path = Path(tmp) / name
            if name.endswith(".yml"):  # read as the judgements file it pretends to be
                path.mkdir()
                path = path / "appreciations.yml"
            make(path)
            for command in ("validate", "importer") if name in IMPORTED else ("validate",):
                case = name if command == "validate" else f"{name} (importer)"
                cases[case] = measure(cli, path, cwd, env, command)
                print(f"  {case:<45} {cases[case]['bytes'] / MB:5.1f} Mo  "
                      f"{cases[case]['seconds']:5.2f} s  {cases[case]['peak_mb']:6.1f} Mo  "
                      f"sortie {cases[case]['exit']}  ({cases[case]['lines_printed']} lignes)",
                      flush=True)
            path.unlink()
    slowest = max(cases, key=lambda n: cases[n]["seconds"])
    biggest = max(cases, key=lambda n: cases[n]["peak_mb"])
    return {"cases": cases, "limits": LIMITS,
            "worst_seconds": {"case": slowest, "seconds": cases[slowest]["seconds"]},
            "worst_peak_mb": {"case": biggest, "peak_mb": cases[biggest]["peak_mb"]},
            "within_limits": all(c["seconds"] <= LIMITS["seconds"]
                                 and c["peak_mb"] <= LIMITS["peak_mb"] for c in cases.values())}


def main() -> int:
    """Measure every case on a snapshot of the project; print (and with ``--record`` keep) the
    worst time and memory."""
    from snapshot import project_env, snapshot

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true",
                        help="write the figures into bench/results.json (key 'hostile')")
    args = parser.parse_args()
    bench = Path(__file__).resolve().parent
    with tempfile.TemporaryDirectory(prefix="maroc-bench-hostile-") as tmp:
        proj = snapshot(Path(tmp) / "proj")
        started = time.ctime()
        result = bounded_cost(str(Path(sys.executable).parent / "maroc-eval"), proj,
                              project_env(proj, proj))
    result.update(measured_alone=True, started=started, load_avg_at_start=os.getloadavg())
    print(result["worst_seconds"], result["worst_peak_mb"], result["within_limits"])
    if args.record:
        path = bench / "results.json"
        results = json.loads(path.read_text("utf-8"))
        results["hostile"] = result
        path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
        print(f"Résultats : {path} (clé « hostile »)")
    return 0 if result["within_limits"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
