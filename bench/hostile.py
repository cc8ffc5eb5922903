"""Bounded cost on hostile input: every file ≤ 20 MB answered within 10 s and 500 MB.

Each case is a file written here (never committed) and given to ``maroc-eval validate``, alone, in
its own process; the process's wall time and peak resident memory (``wait4``) are measured. The
worst case is what the closing notes quote. Run alone with ``python bench/hostile.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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
}


def measure(cli: str, path: Path, cwd: Path, env: dict) -> dict:
    """Wall seconds, peak memory (MB) and exit status of ``maroc-eval validate path``."""
    start = time.perf_counter()
    proc = subprocess.Popen([cli, "validate", str(path)], cwd=cwd, env=env,
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
            cases[name] = measure(cli, path, cwd, env)
            path.unlink()
            print(f"  {name:<34} {cases[name]['bytes'] / MB:5.1f} Mo  "
                  f"{cases[name]['seconds']:5.2f} s  {cases[name]['peak_mb']:6.1f} Mo  "
                  f"sortie {cases[name]['exit']}  ({cases[name]['lines_printed']} lignes)",
                  flush=True)
    slowest = max(cases, key=lambda n: cases[n]["seconds"])
    biggest = max(cases, key=lambda n: cases[n]["peak_mb"])
    return {"cases": cases, "limits": LIMITS,
            "worst_seconds": {"case": slowest, "seconds": cases[slowest]["seconds"]},
            "worst_peak_mb": {"case": biggest, "peak_mb": cases[biggest]["peak_mb"]},
            "within_limits": all(c["seconds"] <= LIMITS["seconds"]
                                 and c["peak_mb"] <= LIMITS["peak_mb"] for c in cases.values())}


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    result = bounded_cost(str(Path(sys.executable).parent / "maroc-eval"), root, dict(os.environ))
    print(result["worst_seconds"], result["worst_peak_mb"], result["within_limits"])
