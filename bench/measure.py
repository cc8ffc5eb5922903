"""Measuring tools of the benchmark: wall time of a command, peak memory of its process tree."""

from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
from pathlib import Path


class TreeSampler(threading.Thread):
    """Peak RSS of a process and of its whole process tree, from ``/proc`` every 0.1 s."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_self, self.peak_tree, self.peak_kernels = pid, 0, 0, 0
        self.done = threading.Event()
        self.page = os.sysconf("SC_PAGE_SIZE")

    def _tree(self) -> dict[int, int]:
        parents = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                    parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    pass
        members, frontier = {self.pid}, [self.pid]
        while frontier:
            kids = [p for p, pp in parents.items() if pp in frontier]
            frontier = [k for k in kids if k not in members]
            members.update(frontier)
        return {p: self._rss(p) for p in members}

    def _rss(self, pid: int) -> int:
        try:
            return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * self.page
        except (OSError, IndexError, ValueError):
            return 0

    def run(self) -> None:
        while not self.done.wait(0.1):
            rss = self._tree()
            self.peak_self = max(self.peak_self, rss.get(self.pid, 0))
            self.peak_tree = max(self.peak_tree, sum(rss.values()))
            self.peak_kernels = max(self.peak_kernels,
                                    sum(v for p, v in rss.items() if p != self.pid))


def timed(cmd: list[str], cwd: Path, env: dict, sample: bool = False) -> dict:
    """Run a command; wall seconds, exit status and (optionally) peak memory in MB."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    sampler = TreeSampler(proc.pid) if sample else None
    if sampler:
        sampler.start()
    out, _ = proc.communicate()
    seconds = time.perf_counter() - start
    result = {"seconds": round(seconds, 2), "status": proc.returncode}
    if sampler:
        sampler.done.set()
        sampler.join()
        result.update(runner_peak_mb=round(sampler.peak_self / 2**20),
                      kernels_peak_mb=round(sampler.peak_kernels / 2**20),
                      tree_peak_mb=round(sampler.peak_tree / 2**20))
    if proc.returncode not in (0, 1):
        print(f"  ! {' '.join(map(str, cmd))} → {proc.returncode}\n{out[-2000:]}", flush=True)
    return result


def median(values: list[float]) -> float:
    """Median, rounded to the hundredth."""
    return round(statistics.median(values), 2)


def say(label: str, value) -> None:
    """Print one figure."""
    print(f"{label:<58} {value}", flush=True)
