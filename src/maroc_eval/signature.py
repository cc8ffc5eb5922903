"""Signed versions of a report: the record ``signature.yml``, the manifest of its inputs, and
what changed since the last signed version.

A contract shared by the sign-off (:mod:`maroc_eval.signoff`, which writes a version) and the
reports (:mod:`maroc_eval.report`, whose cover says which version it is). A version lives in
``<data>/signatures/<phase>/<who>/v<version>/`` (:func:`maroc_eval.paths.signed_version_dir`):
``signature.yml``, copies of the signed deliverables and of the team's appraisal files it rests
on. It is never overwritten: a later signed change of its inputs makes the next minor version
(1.0, 1.1, 1.2…).

The *inputs* of a report are files named as a reader finds them: ``donnees/…`` (the data
folder: monitoring files, budget, ``donnees.yml``, the appraisal files of the pair up to the
phase — of every pair for the programme), ``params/…`` (programme, evaluation matrix, the
phase and pair parameter files) and ``carnets/…`` (the notebooks that compute it). Their
SHA-256 is the manifest; comparing two manifests says which inputs changed, and comparing the
signed copy of an appraisal file with the current one says which of its places changed
(:func:`appraisal_changes`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import paths
from .catalogue import PAIR_SYNTHESIS, PROGRAMME_SYNTHESIS, RI_NOTEBOOKS
from .digest import file_sha256, json_digest
from .i18n import N_, _

PROGRAMME = "programme"
SIGNATURE_FILE = "signature.yml"
FORMAT = 1
DATA_PREFIX, PARAMS_PREFIX, NOTEBOOKS_PREFIX = "donnees", "params", "carnets"
APPRAISALS_COPY = paths.APPRAISALS_DIRNAME
"""Where a version keeps its copies of the appraisal files: ``v1.0/appreciations/<phase>/…``."""
_VERSION = re.compile(r"^(\d+)\.(\d+)$")
_FOLDER = re.compile(r"^v(\d+\.\d+)$")
MAX_PLACES = 50_000
"""Most places read from one appraisal file (a store file holds a few hundred)."""
MAX_APPRAISAL_BYTES = 5_000_000


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


@dataclass(frozen=True)
class PlaceChange:
    """One place of an appraisal that changed since the signed version.

    ``place`` is the key path in the store file (``("questions", "QE1", "note")``,
    ``("questions", "QE4", "constats", "2", "entretiens")``); ``change`` is ``modifie``,
    ``ajoute`` or ``supprime``; ``before``/``after`` are given for short values (grades,
    dates, codes), not for texts.
    """

    place: tuple[str, ...]
    change: str
    before: str | None = None
    after: str | None = None


@dataclass
class Changes:
    """What changed between a signed version and the current inputs."""

    since: str
    changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    places: dict[str, list[PlaceChange]] = field(default_factory=dict)
    """Appraisal input name → its places that changed (files changed, added or removed)."""

    @property
    def empty(self) -> bool:
        """Whether nothing changed."""
        return not (self.changed or self.added or self.removed)


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
                "endroits": {name: [_change_data(p) for p in found]
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
                                  {name: [_change_of(p) for p in found]
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


def _change_data(p: PlaceChange) -> dict:
    out: dict = {"endroit": list(p.place), "changement": p.change}
    if p.before is not None:
        out["avant"] = p.before
    if p.after is not None:
        out["apres"] = p.after
    return out


def _change_of(data: dict) -> PlaceChange:
    return PlaceChange(tuple(str(x) for x in data["endroit"]), str(data["changement"]),
                       data.get("avant"), data.get("apres"))


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


def appraisal_copy(name: str) -> Path | None:
    """Where a version folder keeps its copy of an appraisal input, relative to the folder
    (``donnees/appreciations/final/x.yml`` → ``appreciations/final/x.yml``); ``None`` for an
    input that is not an appraisal file."""
    prefix = f"{DATA_PREFIX}/{paths.APPRAISALS_DIRNAME}/"
    return Path(name.removeprefix(f"{DATA_PREFIX}/")) if name.startswith(prefix) else None


# -- what changed -----------------------------------------------------------------------------
_IDENTITY = {"constats": "critere", "conclusions": "id", "recommandations": "id"}
"""Lists of a store file whose items are named by one of their keys."""
_SKIPPED = ("partenariat", "phase", "preuves_vues")
"""Top keys that are not the team's places (identity, and the evidence the tool recorded)."""
_SHORT = frozenset({"note", "destinataire", "priorite", "echeance", "etat", "questions",
                    "constats", "conclusions", "resultats", "critere"})
"""Keys whose values are short enough to show before and after."""


def _is_text(value) -> bool:
    return isinstance(value, dict) and bool(value) and set(value) <= {"fr", "en"}


def appraisal_places(text: str | None) -> dict[tuple[str, ...], str]:
    """The places of a store file's text and their values (as canonical JSON).

    A place is a key path; list items are named by their criterion or id (findings,
    conclusions, recommendations), other lists (lessons, documents, interviews, visits) are one
    place each. A bilingual text ``{fr, en}`` is one place. Text that is not a YAML mapping
    gives no place (the file-level change still says it changed).
    """
    if not text or len(text) > MAX_APPRAISAL_BYTES:
        return {}
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return {}
    if not isinstance(data, dict):
        return {}
    out: dict[tuple[str, ...], str] = {}
    stack: list[tuple[tuple[str, ...], object]] = [
        ((str(k),), v) for k, v in data.items() if str(k) not in _SKIPPED]
    while stack and len(out) < MAX_PLACES:
        place, value = stack.pop()
        ident = _IDENTITY.get(place[-1])
        if isinstance(value, dict) and not _is_text(value):
            stack += [((*place, str(k)), v) for k, v in value.items()]
        elif (isinstance(value, list) and ident
              and all(isinstance(i, dict) and ident in i for i in value)):
            for item in value:
                name = str(item[ident])
                stack += [((*place, name, str(k)), v) for k, v in item.items() if k != ident]
        elif value not in (None, "", [], {}):
            out[place] = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return out


def _shown(place: tuple[str, ...], value: str | None) -> str | None:
    if value is None or place[-1] not in _SHORT:
        return None
    data = json.loads(value)
    shown = ", ".join(map(str, data)) if isinstance(data, list) else str(data)
    return shown if len(shown) <= 40 else None


_ENTITIES = frozenset({"questions", "resultats", "criteres_cad", "conclusions",
                       "recommandations", "suivi"})


def appraisal_changes(before: str | None, after: str | None) -> list[PlaceChange]:
    """The places of an appraisal file that changed from its signed text to its current text.

    A whole question, grade, conclusion, recommendation or follow-up added or removed is one
    change; texts are said changed, short values (grades, dates, codes) shown before and after.
    """
    old, new = appraisal_places(before), appraisal_places(after)
    changes = []
    for place in sorted(old.keys() | new.keys()):
        a, b = old.get(place), new.get(place)
        if a == b:
            continue
        kind = "ajoute" if a is None else "supprime" if b is None else "modifie"
        changes.append(PlaceChange(place, kind, _shown(place, a), _shown(place, b)))
    return _grouped(changes, old, new)


def _grouped(changes: list[PlaceChange], old: dict, new: dict) -> list[PlaceChange]:
    """A question, grade, conclusion… wholly added or removed: one change, not one per key."""
    out: list[PlaceChange] = []
    for change in changes:
        head = change.place[:2]
        if len(change.place) > 2 and head[0] in _ENTITIES and change.change != "modifie":
            side = old if change.change == "ajoute" else new
            if not any(p[:2] == head for p in side):
                if not out or out[-1].place != head:
                    out.append(PlaceChange(head, change.change))
                continue
        out.append(change)
    return out


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
        found = appraisal_changes(_read(Path(folder) / copy) if name in before else None,
                                  _read(files[name]) if name in files else None)
        if found:
            changes.places[name] = found
    return changes


def _read(path: Path) -> str | None:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


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
            "places": {n: [_change_data(p) for p in found] for n, found in changes.places.items()}}


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


# -- in words ---------------------------------------------------------------------------------
CHANGE_WORDS = {"modifie": N_("modification"), "ajoute": N_("ajout"),
                "supprime": N_("suppression")}
FIELD_WORDS = {
    "reponse": N_("réponse"), "note": N_("note"), "justification": N_("justification"),
    "appreciation": N_("appréciation"), "texte": N_("texte"), "questions": N_("questions"),
    "constats": N_("constats"), "action": N_("action"), "destinataire": N_("destinataire"),
    "priorite": N_("priorité"), "echeance": N_("échéance"), "conclusions": N_("conclusions"),
    "resultats": N_("résultats"), "etat": N_("état"), "commentaire": N_("commentaire"),
    "suivi": N_("données de suivi"), "documents": N_("documents"),
    "entretiens": N_("entretiens"), "visites": N_("visites"), "references": N_("références"),
}


def _word(key: str) -> str:
    return _(FIELD_WORDS[key]) if key in FIELD_WORDS else key


def place_label(place: tuple[str, ...]) -> str:
    """A place in words: « QE4.2 — constat (entretiens) », « RI 3 — note », « R2 — échéance »,
    « suivi de R1 — état », « leçons », « réponse au contrôle triangulation:QE4.2 »."""
    head, rest = place[0], place[1:]
    if head == "questions" and len(rest) >= 3 and rest[1] == "constats":
        what = f"{rest[0]}.{rest[2]}"
        return (_("{place} — constat ({source})").format(place=what, source=_word(rest[3]))
                if len(rest) > 3 else _("{place} — constats").format(place=what))
    if head == "lecons":
        return _("leçons")
    if head == "controles" and rest:
        return _("réponse au contrôle {id}").format(id=rest[0])
    if head == "methode":
        return _("méthode — {what}").format(what=_word(rest[0]) if rest else "")
    if head == "suivi" and rest:
        name = _("suivi de {id}").format(id=rest[0])
    elif rest:
        name = rest[0].replace("RI", "RI\u00a0", 1) if rest[0].startswith("RI") else rest[0]
    else:
        return _word(head)
    return f"{name} — {_word(rest[1])}" if len(rest) > 1 else name


def change_text(change: PlaceChange) -> str:
    """A change in words: « QE1 — note : B → C », « R5 (ajout) », « QE1 — réponse
    (modification) »."""
    label = place_label(change.place)
    if change.before is not None and change.after is not None:
        return _("{place} : {before} → {after}").format(place=label, before=change.before,
                                                         after=change.after)
    return _("{place} ({change})").format(place=label, change=_(CHANGE_WORDS[change.change]))


def input_text(name: str, change: str) -> str:
    """An input in words: « données : suivi.csv (modification) »."""
    prefix, _sep, rest = name.partition("/")
    if prefix == NOTEBOOKS_PREFIX:
        titles = {s.path.name: _(s.title) for s in (*RI_NOTEBOOKS, PAIR_SYNTHESIS,
                                                     PROGRAMME_SYNTHESIS)}
        rest = _("calculs du chapitre « {title} »").format(title=titles.get(rest, rest))
    kinds = {DATA_PREFIX: _("données"), PARAMS_PREFIX: _("paramètres"),
             NOTEBOOKS_PREFIX: _("méthode")}
    return _("{kind} : {file} ({change})").format(kind=kinds.get(prefix, prefix), file=rest,
                                                   change=_(CHANGE_WORDS[change]))


def change_lines(changes: Changes) -> list[tuple[str, list[str]]]:
    """Every change in words: one line per input changed, added or removed, each with the
    places of the team's appraisal that changed in it."""
    lines = []
    for names, kind in ((changes.changed, "modifie"), (changes.added, "ajoute"),
                        (changes.removed, "supprime")):
        for name in names:
            lines.append((input_text(name, kind),
                          [change_text(p) for p in changes.places.get(name, [])]))
    return lines


def change_summary(changes: Changes, limit: int = 4) -> str:
    """The changes in one short phrase for a cover: the first ``limit`` places or files, then
    « et N autres »."""
    items = [change_text(p) for name in (*changes.changed, *changes.added, *changes.removed)
             for p in changes.places.get(name, [])]
    items += [input_text(n, k) for names, k in ((changes.changed, "modifie"),
                                                (changes.added, "ajoute"),
                                                (changes.removed, "supprime"))
              for n in names if appraisal_copy(n) is None or n not in changes.places]
    shown = _(" ; ").join(items[:limit])
    more = len(items) - limit
    return shown + (_(" ; et {n} autres").format(n=more) if more > 0 else "")
