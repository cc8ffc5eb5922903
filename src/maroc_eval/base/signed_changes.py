"""What changed since a signed version of a report: its inputs, and the places of the team's
appraisal, in data and in words.

:func:`appraisal_changes` compares the signed copy of a store file
(``appreciations/<phase>/<who>.yml``) with its current text, place by place (a grade before and
after, a text changed, a recommendation added…); :func:`change_lines` and :func:`change_summary`
say the changes of :class:`Changes` as the report's cover and annex show them. Plain YAML is read
(no parsing of the store's rules): a signed copy stays comparable whatever the store becomes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import paths
from .catalogue import PAIR_SYNTHESIS, PROGRAMME_SYNTHESIS, RI_NOTEBOOKS
from .i18n import N_, _

DATA_PREFIX, PARAMS_PREFIX, NOTEBOOKS_PREFIX = "donnees", "params", "carnets"
"""How the names of a report's inputs begin: the data folder, ``params/``, ``notebooks/``."""
MAX_PLACES = 50_000
"""Most places read from one appraisal file (a store file holds a few hundred)."""
MAX_APPRAISAL_BYTES = 5_000_000


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


def change_data(p: PlaceChange) -> dict:
    out: dict = {"endroit": list(p.place), "changement": p.change}
    if p.before is not None:
        out["avant"] = p.before
    if p.after is not None:
        out["apres"] = p.after
    return out


def change_of(data: dict) -> PlaceChange:
    return PlaceChange(tuple(str(x) for x in data["endroit"]), str(data["changement"]),
                       data.get("avant"), data.get("apres"))


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


def read_text(path: Path) -> str | None:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


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
    shown = items[0] if items else ""
    for item in items[1:limit]:
        shown = _("{first} ; {then}").format(first=shown, then=item)
    more = len(items) - limit
    return _("{first} ; et {n} autres").format(first=shown, n=more) if more > 0 else shown
