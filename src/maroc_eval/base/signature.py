"""Signed versions of a report: the record ``signature.yml``, the manifest of its inputs, and
what changed since the last signed version.

A contract shared by the sign-off (:mod:`maroc_eval.signoff`, which writes a version) and the
reports (:mod:`maroc_eval.report`, whose cover says which version it is). A version lives in
``<data>/signatures/<phase>/<who>/v<version>/`` (:func:`maroc_eval.base.paths.signed_version_dir`):
``signature.yml``, copies of the signed deliverables and of the team's appraisal files it rests
on. It is never overwritten: a later signed change of its inputs makes the next minor version
(1.0, 1.1, 1.2…).

The *inputs* of a report are files named as a reader finds them: ``donnees/…`` (the data
folder: monitoring files, budget, ``donnees.yml``, the appraisal files of the pair up to the
phase — of every pair for the programme), ``params/…`` (programme, evaluation matrix, the
phase and pair parameter files) and ``carnets/…`` (the notebooks that compute it). Their
SHA-256 is the manifest; comparing two manifests says which inputs changed, and comparing the
signed copy of an appraisal file with the current one says which of its places changed
(:mod:`maroc_eval.base.signed_changes`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import paths
from .catalogue import PAIR_SYNTHESIS, PROGRAMME_SYNTHESIS, RI_NOTEBOOKS
from .digest import file_sha256, json_digest
from .i18n import _
from .signed_changes import (
    DATA_PREFIX,
    NOTEBOOKS_PREFIX,
    PARAMS_PREFIX,
    Changes,
    appraisal_changes,
    appraisal_copy,
    change_data,
    change_of,
    read_text,
)

PROGRAMME = "programme"
SIGNATURE_FILE = "signature.yml"
FORMAT = 1
_VERSION = re.compile(r"^(\d+)\.(\d+)$")
_FOLDER = re.compile(r"^v(\d+\.\d+)$")


class SignatureUnreadable(ValueError):
    """A ``signature.yml`` that cannot be read (the message says why, in the language spoken)."""


@dataclass(frozen=True)
class Signatory:
    """A member of the team who signs: name and role (« Nadia Berrada », « cheffe de
    mission »)."""

    name: str
    role: str

    @property
    def label(self) -> str:
        """« Nadia Berrada (cheffe de mission) »."""
        return f"{self.name} ({self.role})" if self.role else self.name


@dataclass
class Signature:
    """The record of one signed version (``signature.yml``)."""

    phase: str
    who: str
    version: str
    evaluation_date: dt.date
    signed_on: dt.date
    signatories: list[Signatory]
    inputs: dict[str, str]
    outputs: dict[str, str]
    language: str = "fr"
    tool: dict[str, str] = field(default_factory=dict)
    changes: Changes | None = None

    def to_data(self) -> dict:
        """Plain data, in the order ``signature.yml`` is written."""
        out = {"format": FORMAT, "phase": self.phase, "partenariat": self.who,
               "version": self.version, "date_evaluation": self.evaluation_date,
               "signee_le": self.signed_on,
               "signataires": [{"nom": s.name, "fonction": s.role} for s in self.signatories],
               "langue": self.language, "outil": dict(self.tool),
               "entrees": dict(sorted(self.inputs.items())),
               "sorties": dict(sorted(self.outputs.items()))}
        if self.changes is not None:
            c = self.changes
            out["modifications"] = {
                "depuis": c.since, "modifiees": c.changed, "ajoutees": c.added,
                "supprimees": c.removed,
                "endroits": {name: [change_data(p) for p in found]
                             for name, found in sorted(c.places.items())}}
        return out

    def dump(self) -> str:
        """The text of ``signature.yml`` (a comment, then diffable YAML)."""
        header = ("# Version signée d'un rapport d'évaluation (maroc-eval signer) : ne pas "
                  "modifier.\n# Les empreintes SHA-256 sont celles des fichiers tels qu'ils ont "
                  "été signés.\n")
        return header + yaml.safe_dump(self.to_data(), allow_unicode=True, sort_keys=False,
                                       width=100, default_flow_style=False)

    @classmethod
    def from_data(cls, data) -> Signature:
        """Read the plain data of ``signature.yml``.

        Raises
        ------
        SignatureUnreadable
            A key is missing or has the wrong type.
        """
        try:
            changes = None
            if data.get("modifications"):
                m = data["modifications"]
                changes = Changes(str(m["depuis"]), list(m.get("modifiees") or []),
                                  list(m.get("ajoutees") or []),
                                  list(m.get("supprimees") or []),
                                  {name: [change_of(p) for p in found]
                                   for name, found in (m.get("endroits") or {}).items()})
            version = str(data["version"])
            if not _VERSION.match(version):
                raise ValueError(version)
            return cls(str(data["phase"]), str(data["partenariat"]), version,
                       _date(data["date_evaluation"]), _date(data["signee_le"]),
                       [Signatory(str(s["nom"]), str(s.get("fonction") or ""))
                        for s in data["signataires"]],
                       {str(k): str(v) for k, v in data["entrees"].items()},
                       {str(k): str(v) for k, v in data["sorties"].items()},
                       str(data.get("langue") or "fr"),
                       {str(k): str(v) for k, v in (data.get("outil") or {}).items()}, changes)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise SignatureUnreadable(_("clé absente ou invalide ({detail})").format(
                detail=exc)) from None


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def read_signature(folder: Path) -> Signature:
    """The record of a signed version folder.

    Raises
    ------
    SignatureUnreadable
        No ``signature.yml``, not YAML, or not a signature record.
    """
    path = Path(folder) / SIGNATURE_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SignatureUnreadable(_("pas de fichier {name}").format(name=SIGNATURE_FILE)) from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SignatureUnreadable(_("fichier {name} illisible ({detail})").format(
            name=SIGNATURE_FILE, detail=type(exc).__name__)) from None
    if not isinstance(data, dict):
        raise SignatureUnreadable(_("fichier {name} sans contenu reconnu").format(
            name=SIGNATURE_FILE))
    return Signature.from_data(data)


# -- versions ---------------------------------------------------------------------------------
def version_key(version: str) -> tuple[int, int]:
    """``"1.10"`` → ``(1, 10)``, for numeric order."""
    major, minor = _VERSION.match(version).groups()
    return int(major), int(minor)


def valid_version(version: str) -> bool:
    """Whether a version reads ``<major>.<minor>`` (« 1.0 »)."""
    return bool(_VERSION.match(str(version)))


def next_version(previous: str | None, first: str = "1.0") -> str:
    """The version a new signature takes: ``first`` without a previous one, else the next minor
    version (1.0 → 1.1 → … → 1.10)."""
    if previous is None:
        return first
    major, minor = version_key(previous)
    return f"{major}.{minor + 1}"


def version_folders(data_dir: Path, phase: str, who: str) -> list[tuple[str, Path]]:
    """The version folders of a report, oldest first: ``[("1.0", …/v1.0), ("1.1", …)]``
    (temporary folders of a signing in progress, ``.v1.1.…``, are not versions)."""
    root = paths.signature_dir(data_dir, phase, who)
    if not root.is_dir():
        return []
    found = [(m.group(1), p) for p in root.iterdir()
             if p.is_dir() and (m := _FOLDER.match(p.name))]
    return sorted(found, key=lambda item: version_key(item[0]))


def latest_signature(data_dir: Path, phase: str, who: str) -> tuple[Signature, Path] | None:
    """The latest readable signed version of a report and its folder, or ``None``.

    A version folder whose record cannot be read is passed over (the sign-off refuses to sign
    while one exists: :mod:`maroc_eval.signoff`).
    """
    for _version, folder in reversed(version_folders(data_dir, phase, who)):
        try:
            return read_signature(folder), folder
        except SignatureUnreadable:
            continue
    return None


# -- the manifest of inputs -------------------------------------------------------------------
def input_files(programme_file: Path, data_dir: Path, phase: str, who: str,
                phases: list[str]) -> dict[str, Path]:
    """Every input file of one report, by the name the manifest gives it.

    Parameters
    ----------
    programme_file : Path
        The programme definition (``params/programme.yml``; the matrix and the phase and pair
        parameter files stand beside it).
    data_dir : Path
        The data folder the report's notebooks read.
    phase : str
        The report's phase.
    who : str
        A pair code or ``programme``.
    phases : list of str
        The phases the report sees: its own and the earlier ones (their appraisals and
        parameter files count: the report compares with them).

    Returns
    -------
    dict
        Name (``donnees/suivi.csv``, ``params/phases/final.yml``,
        ``carnets/synthese_partenariat.ipynb``…) → path, sorted by name; only files that exist.
    """
    data_dir, programme_file = Path(data_dir), Path(programme_file)
    found: dict[str, Path] = {}

    def data(path: Path) -> None:
        found[f"{DATA_PREFIX}/{path.relative_to(data_dir).as_posix()}"] = path

    observations, appraisals = paths.data_files(data_dir)
    for path in (*observations, paths.budget_file(data_dir), data_dir / paths.DATA_INFO_FILE):
        if path.is_file():
            data(path)
    for path in appraisals:
        rel = path.relative_to(paths.appraisals_dir(data_dir)).parts
        if len(rel) == 2 and rel[0] in phases and (who == PROGRAMME or Path(rel[1]).stem == who):
            data(path)
    params = programme_file.parent
    phase_dir, pair_dir = paths.settings_dirs(programme_file)
    settings = [params / programme_file.name, paths.evaluation_file(programme_file),
                *(phase_dir / f"{ph}.yml" for ph in phases),
                *(sorted(pair_dir.glob("*.yml")) if pair_dir.is_dir() else [])]
    for path in settings:
        if path.is_file():
            found[f"{PARAMS_PREFIX}/{path.resolve().relative_to(params.resolve()).as_posix()}"] \
                = path
    specs = ([*RI_NOTEBOOKS, PAIR_SYNTHESIS] if who != PROGRAMME
             else [*RI_NOTEBOOKS, PAIR_SYNTHESIS, PROGRAMME_SYNTHESIS])
    for spec in specs:
        if spec.path.is_file():
            found[f"{NOTEBOOKS_PREFIX}/{spec.path.name}"] = spec.path
    return dict(sorted(found.items()))


def manifest(files: dict[str, Path]) -> dict[str, str]:
    """Name → SHA-256 of each file (read now)."""
    return {name: file_sha256(path) for name, path in files.items()}


def compare(signed: Signature, folder: Path, current: dict[str, str],
            files: dict[str, Path]) -> Changes:
    """What changed from a signed version to the current inputs.

    Parameters
    ----------
    signed : Signature
        The signed version's record.
    folder : Path
        Its folder (copies of its appraisal files).
    current : dict
        The current manifest (:func:`manifest`).
    files : dict
        The current input files (:func:`input_files`).
    """
    before = signed.inputs
    changes = Changes(signed.version,
                      sorted(n for n in before.keys() & current.keys()
                             if before[n] != current[n]),
                      sorted(current.keys() - before.keys()),
                      sorted(before.keys() - current.keys()))
    for name in (*changes.changed, *changes.added, *changes.removed):
        copy = appraisal_copy(name)
        if copy is None:
            continue
        found = appraisal_changes(read_text(Path(folder) / copy) if name in before else None,
                                  read_text(files[name]) if name in files else None)
        if found:
            changes.places[name] = found
    return changes


# -- the state of a report's version ----------------------------------------------------------
UNSIGNED, SIGNED, CHANGED = "non-signe", "signe", "modifie"


@dataclass
class VersionState:
    """Which version a report is, from the signed versions and its current inputs.

    ``kind``: :data:`UNSIGNED` (no signed version), :data:`SIGNED` (the inputs are those of
    the latest signed version: the report is that version) or :data:`CHANGED` (inputs changed
    since: a draft of ``version``, with ``changes``).
    """

    kind: str = UNSIGNED
    version: str | None = None
    signature: Signature | None = None
    changes: Changes | None = None

    def digest(self) -> str:
        """What the report's key takes of it (signing, or a change, rebuilds the cover)."""
        sig = self.signature
        return json_digest({
            "kind": self.kind, "version": self.version,
            "signature": None if sig is None else [sig.version, sig.signed_on.isoformat(),
                                                   [(s.name, s.role) for s in sig.signatories]],
            "changes": None if self.changes is None else _changes_data(self.changes)})


def _changes_data(changes: Changes) -> dict:
    return {"since": changes.since, "changed": changes.changed, "added": changes.added,
            "removed": changes.removed,
            "places": {n: [change_data(p) for p in found] for n, found in changes.places.items()}}


def version_state(programme_file: Path, data_dir: Path | None, phase: str, who: str,
                  phases: list[str]) -> VersionState:
    """The version state of one report (``phases``: those it sees, see :func:`input_files`).

    Without a data folder or a signed version: :data:`UNSIGNED`. Otherwise the current inputs
    are hashed and compared with the latest signed version's.
    """
    if data_dir is None:
        return VersionState()
    found = latest_signature(data_dir, phase, who)
    if found is None:
        return VersionState()
    signed, folder = found
    files = input_files(programme_file, data_dir, phase, who, phases)
    changes = compare(signed, folder, manifest(files), files)
    if changes.empty:
        return VersionState(SIGNED, signed.version, signed)
    return VersionState(CHANGED, next_version(signed.version), signed, changes)


