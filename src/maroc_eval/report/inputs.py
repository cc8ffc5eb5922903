"""What a report is built from: executed notebooks, their sidecars and the run ledger.

A notebook whose last run failed, or that never ran, is *unavailable* with a French reason taken
from the ledger; the report shows that reason instead of an older result.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..base import paths
from ..base.catalogue import PAIR_SYNTHESIS, PROGRAMME_SYNTHESIS, RI_NOTEBOOKS, NotebookSpec
from ..base.errors import ERROR
from ..base.i18n import N_, _
from ..base.ledger import Ledger, unvouched, vouched
from ..base.sidecar import PairResult, ProgrammeResult, RIResult, load_sidecar

if TYPE_CHECKING:
    import nbformat

FAILED_STATUSES = ("failed", "interrupted")


@dataclass
class NotebookOutput:
    """One executed notebook of the battery, or why it is missing.

    ``damaged`` says why outputs ``maroc-eval run`` produced are not as it left them (changed,
    truncated or unreadable since): a report is not made from them, the run repairs them.
    """

    spec: NotebookSpec
    path: Path
    content: dict | None = field(default=None, repr=False)
    """The executed notebook as read (its JSON), made a ``NotebookNode`` when first needed
    (:attr:`notebook`): a build with nothing to export never loads nbformat."""
    sidecar: RIResult | PairResult | ProgrammeResult | None = None
    reason: str | None = None
    damaged: str | None = None
    _node: object = field(default=None, init=False, repr=False, compare=False)

    @property
    def read(self) -> bool:
        """Whether the executed notebook could be read."""
        return self.content is not None

    @property
    def notebook(self) -> nbformat.NotebookNode | None:
        """The executed notebook as a v4 ``NotebookNode`` (``None`` when unread)."""
        if self._node is None and self.content is not None:
            self._node = as_notebook(self.content)
        return self._node

    @property
    def metadata(self) -> dict:
        """The notebook's metadata as read (without making it a ``NotebookNode``)."""
        return (self.content or {}).get("metadata") or {}

    @property
    def available(self) -> bool:
        """Whether the notebook and its sidecar can be shown."""
        return self.content is not None and self.reason is None


@dataclass
class PairInputs:
    """The seven notebooks of one pair and phase."""

    phase: str
    pair: str
    ris: dict[str, NotebookOutput]
    synthesis: NotebookOutput
    entries: dict[str, dict] = field(default_factory=dict)

    @property
    def ri_results(self) -> dict[str, RIResult | None]:
        """Sidecars of the available RI notebooks (``None`` for the others)."""
        return {ri: (o.sidecar if o.available else None) for ri, o in self.ris.items()}

    @property
    def exists(self) -> bool:
        """Whether anything of this pair was run."""
        return any(o.path.exists() or o.reason != _(NOT_RUN)
                   for o in (*self.ris.values(), self.synthesis))


NOT_RUN = N_("carnet non exécuté")
"""The reason of a notebook never run (French; ``_(NOT_RUN)`` is what a report shows)."""


def read_ledger(outputs: Path, phase: str, problems: list[str] | None = None) -> dict[str, dict]:
    """The ledger's entries of a phase keyed ``<pair>/<stem>`` (empty when absent or unreadable).

    Parameters
    ----------
    outputs : Path
        The outputs folder.
    phase : str
        The phase.
    problems : list of str, optional
        Receives a located line when the ledger vouches for nothing while the phase has results
        (missing, truncated, garbled, another phase's): no report is made of them.
    """
    ledger = Ledger.load(paths.ledger_path(outputs, phase), phase)
    if problems is not None and (problem := unvouched(ledger)) is not None:
        problems.append(_("{where}: {severity} : {why} — attendu : le journal qu'écrit "
                          "« maroc-eval run » pour ces résultats ; sans lui, rien ne garantit "
                          "qu'ils sont ceux de l'exécution").format(
                              where=problem[0], severity=_(ERROR), why=problem[1]))
    return ledger.entries


def failure_reason(entry: dict) -> str:
    """The reason for a failed or interrupted notebook, from its ledger entry (in the
    language spoken)."""
    if entry.get("status") == "interrupted":
        return _("exécution interrompue")
    what = " : ".join(str(x) for x in (entry.get("ename"), entry.get("evalue")) if x)
    if entry.get("cell") is not None:
        reason = _("échec de l'exécution (cellule {cell})").format(cell=entry["cell"])
    else:
        reason = _("échec de l'exécution")
    return reason + (f" — {what}" if what else "")


def read_content(path: Path) -> dict:
    """An executed notebook's JSON.

    Raises
    ------
    OSError, ValueError
        The file cannot be read, is not JSON or not a notebook.
    """
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise ValueError("not a notebook")
    return raw


def as_notebook(raw: dict) -> nbformat.NotebookNode:
    """A notebook's JSON as a v4 ``NotebookNode``.

    Executed notebooks are v4 (papermill writes them): they are taken as they are, without
    nbformat's schema pass on each of them, which only logs warnings and cost a third of the
    report's reading; the joined report is validated once when it is exported. Other versions
    go through ``nbformat``'s conversion.
    """
    import nbformat

    if raw.get("nbformat") == 4:
        return nbformat.v4.to_notebook_json(raw)  # multi-line strings joined, as nbformat.read
    return nbformat.reads(json.dumps(raw), as_version=4)


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """An executed notebook, as a v4 ``NotebookNode`` (:func:`read_content`, :func:`as_notebook`).

    Raises
    ------
    OSError, ValueError
        The file cannot be read or is not JSON.
    """
    return as_notebook(read_content(path))


def load_output(spec: NotebookSpec, path: Path, entry: dict | None) -> NotebookOutput:
    """Read one executed notebook and its sidecar, or record why it is unavailable."""
    out = NotebookOutput(spec, Path(path))
    if entry and entry.get("status") in FAILED_STATUSES:
        out.reason = failure_reason(entry)
        return out
    if not out.path.exists():
        out.reason = _(NOT_RUN)
        return out
    sidecar = paths.sidecar_path(out.path)
    why = vouched(entry, out.path, sidecar)  # no entry, or no digests: not vouched for either
    out.damaged = None if why is None else _(why)
    try:
        out.content = read_content(out.path)
    except (OSError, ValueError) as exc:
        out.reason = _("carnet illisible ({error})").format(error=exc.__class__.__name__)
        out.damaged = out.damaged or out.reason
        return out
    out.sidecar = load_sidecar(sidecar)
    if out.sidecar is None:
        out.reason = _("résultats (JSON) absents ou illisibles")
        out.damaged = out.damaged or out.reason
    return out


def load_pair(outputs: Path, phase: str, pair: str, entries: dict[str, dict]) -> PairInputs:
    """The executed notebooks of one pair and phase."""
    folder = paths.pair_dir(outputs, phase, pair)

    def one(spec: NotebookSpec) -> NotebookOutput:
        return load_output(spec, folder / f"{spec.stem}.ipynb", entries.get(f"{pair}/{spec.stem}"))

    return PairInputs(phase, pair, {s.ri: one(s) for s in RI_NOTEBOOKS}, one(PAIR_SYNTHESIS),
                      {k: v for k, v in entries.items() if k.startswith(f"{pair}/")})


def load_programme_output(outputs: Path, phase: str, entries: dict[str, dict]) -> NotebookOutput:
    """The executed programme synthesis of a phase."""
    spec = PROGRAMME_SYNTHESIS
    return load_output(spec, paths.programme_dir(outputs, phase) / f"{spec.stem}.ipynb",
                       entries.get(f"programme/{spec.stem}"))
