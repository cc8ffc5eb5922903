"""The project copied for a benchmark: its inputs and package source in a temporary folder, and
the environment that makes maroc-eval use them (so that edits made meanwhile change nothing)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from maroc_eval.base import paths

BIN = Path(sys.executable).parent
SNAPSHOT = ("params", "data", "notebooks", "templates", "src")


def project_env(root: Path, src_root: Path) -> dict:
    """The environment of a command run on the snapshot ``root``, with ``src_root``'s package."""
    env = dict(os.environ, MAROC_EVAL_ROOT=str(root), PYTHONPATH=str(src_root / "src"))
    env.pop("MPLBACKEND", None)
    return env


def snapshot(dest: Path) -> Path:
    """Copy the project's inputs and package source to ``dest``."""
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "outputs")
    for name in SNAPSHOT:
        source = paths.PROJ_ROOT / name
        if source.exists():
            shutil.copytree(source, dest / name, ignore=ignore)
    return dest
