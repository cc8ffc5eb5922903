"""Helpers of the deliverables' tests (PDF, Word, navigation): the reports of an outputs folder,
and the processes a build may leave behind (read from /proc)."""

from __future__ import annotations

import os
from pathlib import Path


def html_reports(outputs: Path) -> list[Path]:
    """Every HTML report of an outputs folder (pairs and programme, both phases)."""
    return sorted(Path(outputs).glob("*/*/rapport-*.html"))


def descendants(pid: int) -> list[tuple[int, str]]:
    """``(pid, command name)`` of every live process descending from ``pid`` (from /proc)."""
    children: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        if fields[0] == "Z":  # a zombie is already gone
            continue
        names[int(entry.name)] = name
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], list(children.get(pid, []))
    while todo:
        child = todo.pop()
        found.append((child, names.get(child, "?")))
        todo += children.get(child, [])
    return found


def processes_with_env(marker: str) -> list[int]:
    """Live processes whose environment holds ``marker`` (``NAME=value``)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            env = (entry / "environ").read_bytes().split(b"\0")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker.encode() in env and state != "Z":
            found.append(int(entry.name))
    return found
