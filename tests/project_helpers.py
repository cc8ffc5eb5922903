"""Helpers to run the toolkit on a copy of the project (a module, not a conftest: test folders
have conftest files of their own, and ``from conftest import`` would pick whichever came first)."""

from __future__ import annotations

from pathlib import Path

PROJECT_PARTS = ("params", "data", "notebooks", "templates")


def copy_project(root: Path) -> Path:
    """A copy of the project's inputs (params, data, notebooks, templates) at ``root``: the
    toolkit run with ``MAROC_EVAL_ROOT=root`` reads and writes only there."""
    import shutil

    from maroc_eval.base import paths

    for part in PROJECT_PARTS:
        shutil.copytree(paths.PROJ_ROOT / part, root / part)
    return root


def cli(root: Path, *args: str, check: bool = True):
    """``maroc-eval ARGS`` on a project copy (working directory and ``MAROC_EVAL_ROOT``)."""
    import os
    import subprocess
    import sys

    command = [str(Path(sys.executable).with_name("maroc-eval")), *args]
    done = subprocess.run(command, cwd=root, env={**os.environ, "MAROC_EVAL_ROOT": str(root)},
                          capture_output=True, text=True, check=False, timeout=600)
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done
