"""When a report is up to date: the digest of everything it is made from, stamped in the report.

A pair's report is made from its seven executed notebooks and their sidecars, its ledger entries,
the programme file, the report's templates (``rapport``, and the fragments of the sections it
writes itself) and this package's code (preprocessors included). The programme report is made
from the programme synthesis, every pair's synthesis sidecar, the list of pair reports it links
to and its ledger entry. Both also depend on their version state (:func:`with_version`: signed,
changed since a signed version, never signed), so that signing a report, or changing an input of
a signed one, rebuilds its cover. :func:`pair_key` and :func:`programme_key` hash those bytes; the
key is written into the report's head (``<meta name="maroc-eval-entrees" content="…">``) and
``maroc-eval report`` rebuilds only the reports whose key differs from the one stamped in the
file (or whose file is missing). Nothing else is stored: deleting or replacing a report file makes
it rebuilt.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..base import i18n, paths
from ..base.catalogue import PAIR_SYNTHESIS, PROGRAMME_SYNTHESIS, RI_NOTEBOOKS
from ..base.digest import files_digest, sha256

META_NAME = "maroc-eval-entrees"
_META = re.compile(rb"<meta\b[^>]*>")
_NAME = f'name="{META_NAME}"'.encode()
_CONTENT = re.compile(rb'content="([0-9a-f]{64})"')
_HEAD_BYTES = 16384  # the stamp is the head's first element


REPORT_TEMPLATES = (paths.REPORT_TEMPLATE, paths.FRAGMENT_TEMPLATES)
"""The folders of ``templates/`` a report is made with: the nbconvert template and the fragments
of its own sections (:mod:`maroc_eval.report.sections`)."""


def common_digest(programme_file: Path) -> str:
    """What every report depends on: package, templates, nbconvert version, programme file,
    the language and its compiled catalogue (a new translation rebuilds the reports).

    Files are named relative to their folder: the key does not depend on where the project or
    its outputs live, nor on how a command spelled them.
    """
    from importlib.metadata import version

    programme = paths.resolved(programme_file)
    parts = [f"nbconvert {version('nbconvert')}",
             files_digest("code", sorted(paths.PACKAGE_DIR.rglob("*.py")),
                          root=paths.PACKAGE_DIR),
             files_digest("programme", [programme], root=programme.parent),
             f"language {i18n.language()}"]
    catalogue = i18n.catalogue_path(i18n.language(), ".mo")
    if catalogue.is_file():
        parts.append(files_digest("catalogue", [catalogue], root=paths.LOCALE_DIR))
    for folder in REPORT_TEMPLATES:
        found = sorted(p for p in (paths.TEMPLATES_DIR / folder).rglob("*") if p.is_file())
        parts.append(files_digest(folder, found, root=paths.TEMPLATES_DIR))
    return sha256("\n".join(parts))


def _outputs(folder: Path, stems) -> list[Path]:
    return [folder / f"{stem}{suffix}" for stem in stems for suffix in (".ipynb", ".json")]


def _entries(entries: dict[str, dict], prefix: str) -> bytes:
    mine = {k: v for k, v in entries.items() if k.startswith(prefix)}
    return json.dumps(mine, sort_keys=True, ensure_ascii=False, default=str).encode()


def pair_key(common: str, outputs: Path, phase: str, pair: str, entries: dict[str, dict]) -> str:
    """The key of a pair's report for a phase.

    Parameters
    ----------
    common : str
        :func:`common_digest`.
    outputs : Path
        The results folder.
    phase, pair : str
        Phase and pair codes.
    entries : dict
        The phase's ledger entries (``report_inputs.read_ledger``).

    Returns
    -------
    str
        Hex sha256.
    """
    stems = [s.stem for s in (*RI_NOTEBOOKS, PAIR_SYNTHESIS)]
    files = files_digest(f"pair {common} {phase} {pair}",
                         _outputs(paths.pair_dir(outputs, phase, pair), stems),
                         root=Path(outputs))
    return sha256(files.encode() + _entries(entries, f"{pair}/"))


def programme_key(common: str, outputs: Path, phase: str, pairs: list[str],
                  entries: dict[str, dict], links: dict[str, str]) -> str:
    """The key of the programme report for a phase (``links``: pair label → report link)."""
    files = [*_outputs(paths.programme_dir(outputs, phase), [PROGRAMME_SYNTHESIS.stem]),
             *(paths.sidecar_path(paths.pair_dir(outputs, phase, p)
                                  / f"{PAIR_SYNTHESIS.stem}.ipynb") for p in pairs)]
    digest = files_digest(f"programme {common} {phase}", files, root=Path(outputs))
    return sha256(digest.encode() + _entries(entries, "programme/")
                  + json.dumps(links, sort_keys=True, ensure_ascii=False).encode())


def with_version(key: str, state) -> str:
    """A report's key with its version state (a :class:`maroc_eval.base.signature.VersionState`)."""
    return sha256(f"{key}\nversion {state.digest()}")


def stamped_key(report: Path) -> str | None:
    """The key stamped in an existing report, ``None`` if absent or unreadable."""
    try:
        with Path(report).open("rb") as fh:
            head = fh.read(_HEAD_BYTES)
    except OSError:
        return None
    for tag in _META.findall(head):  # attributes in any order (nbconvert re-serialises them)
        found = _CONTENT.search(tag) if _NAME in tag else None
        if found:
            return found.group(1).decode()
    return None
