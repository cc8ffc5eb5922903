"""SHA-256 digests: of bytes and texts, of files, of plain data, of the package's own code.

The one place that hashes: cache keys (:mod:`maroc_eval.run.keys`), the validated-inputs cache
(:mod:`maroc_eval.core.dataset`), report keys and the provenance annex all ask here.
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import paths

MISSING = "missing"


def sha256(data: str | bytes) -> str:
    """Hex sha256 of a text (UTF-8) or bytes."""
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def file_sha256(path: Path | str, missing: str | None = MISSING) -> str:
    """Hex sha256 of a file's bytes, read in blocks.

    Parameters
    ----------
    path : Path or str
        The file.
    missing : str or None
        What an absent file gives (``"missing"``); ``None``: raise ``FileNotFoundError``.
    """
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 16), b""):
                digest.update(block)
    except FileNotFoundError:
        if missing is None:
            raise
        return missing
    return digest.hexdigest()


def _plain(obj: Any) -> Any:
    """Plain JSON-able data from pydantic models, dataclasses, mappings and sequences."""
    if hasattr(obj, "model_dump"):
        return _plain(obj.model_dump(mode="json"))
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return _plain(dataclasses.asdict(obj))
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    return obj


def json_digest(obj: Any) -> str:
    """sha256 of the canonical JSON of plain data (keys sorted; models and dataclasses dumped)."""
    return sha256(json.dumps(_plain(obj), sort_keys=True, ensure_ascii=False, default=str))


def files_digest(label: str, files, root: Path | None = None) -> str:
    """sha256 of a label and, for each file in order, its name and bytes (``<absent>`` if none).

    Names are taken relative to ``root`` when given, so that the digest does not depend on where
    the project lives.
    """
    h = hashlib.sha256(label.encode("utf-8"))
    for path in files:
        name = Path(path).relative_to(root) if root else path
        h.update(f"\n{Path(name).as_posix()}\n".encode())
        try:
            h.update(Path(path).read_bytes())
        except OSError:
            h.update(b"<absent>")
    return h.hexdigest()


NOTEBOOK_CODE = ("*.py", "core/**/*.py", "notebook/**/*.py")
"""What a notebook may execute of the package: the base, ``core`` and ``notebook``."""

NOTEBOOK_TEMPLATES = (f"{paths.FRAGMENT_TEMPLATES}/**/*",)
"""What a notebook may render of ``templates/``: the HTML fragments
(:mod:`maroc_eval.base.markup`)."""


def package_digest(patterns: tuple[str, ...] = NOTEBOOK_CODE,
                   templates: tuple[str, ...] = NOTEBOOK_TEMPLATES) -> str:
    """sha256 of the package's source files matching ``patterns`` and of the files of
    ``templates/`` matching ``templates`` (relative names and bytes), computed once per process.

    The default is what notebooks run: their code (a change in ``report`` or ``run`` reruns
    none) and the fragments they render (editing one reruns them all). ``("**/*.py",)`` is the
    whole package; ``templates=()`` leaves the templates out.
    """
    return _package_digest(paths.PACKAGE_DIR, tuple(patterns), Path(paths.TEMPLATES_DIR),
                           tuple(templates))


@lru_cache(maxsize=8)
def _package_digest(package_dir: Path, patterns: tuple[str, ...], templates_dir: Path,
                    templates: tuple[str, ...]) -> str:
    files = sorted({p for pattern in patterns for p in package_dir.glob(pattern)})
    digest = files_digest("maroc-eval " + " ".join(patterns), files, root=package_dir)
    if not templates:
        return digest
    files = sorted({p for pattern in templates for p in templates_dir.glob(pattern)
                    if p.is_file()})
    return files_digest(f"{digest} templates " + " ".join(templates), files, root=templates_dir)


DATASET_FORMAT = 2
"""Bumped when the layout of the cached validated inputs changes (see
:mod:`maroc_eval.core.dataset`)."""


def dataset_key(programme_file: Path, data_dir: Path) -> str:
    """The key of a programme file and a data folder in the validated-inputs cache.

    sha256 of the code that reads them, the programme file and every data file of the folder,
    its ``donnees.yml`` and ``budget.csv`` included (names and bytes): see
    :mod:`maroc_eval.core.dataset`. Reads bytes only (no parsing), so the runner can tell
    whether the data changed before it imports anything heavy.

    Raises
    ------
    OSError
        A file cannot be read.
    """
    code = package_digest(NOTEBOOK_CODE, ())  # the code that reads them; no template does
    h = hashlib.sha256(f"maroc-eval dataset {DATASET_FORMAT}\n{code}\n".encode())
    h.update(Path(programme_file).read_bytes())
    matrix = paths.evaluation_file(Path(programme_file))
    if matrix.is_file():  # the evaluation matrix checks the appraisals' codes
        h.update(b"\nevaluation.yml\n" + matrix.read_bytes())
    data_dir = Path(data_dir)
    obs_files, appraisal_files = paths.data_files(data_dir)
    extra = [data_dir / paths.DATA_INFO_FILE, paths.budget_file(data_dir)]
    for path in (*obs_files, *appraisal_files, *(p for p in extra if p.is_file())):
        if paths.path_kind(path) != paths.FILE:  # a link loop, a pipe: never read here
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        h.update(f"\n{path.relative_to(data_dir).as_posix()}\n".encode())
        h.update(path.read_bytes())
    return h.hexdigest()
