"""What changed between two states of the results: figures, statuses, grades, the data rows and
settings responsible, and the team's findings the change leaves to reread.

A state is what a report was made of (:mod:`maroc_eval.report.changes` keeps it): the results
(the sidecars of one phase, as plain JSON dicts keyed ``<pair>/<notebook>``) and the monitoring
values they were computed from (one row per pair, indicator, year and breakdown, with the file
and line it was read at). Comparing two states never judges: it lists what moved, where it comes
from, and which written findings rest on an indicator that moved while their text did not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..base import fmt
from ..base.status import missing, status_label
from .matrix import EvaluationMatrix
from .programme import Programme
from .setting_registry import SETTINGS as REGISTRY

FIGURE_TOLERANCE = 5e-4
"""Two achievements or indexes closer than this (0.05 point) are the same figure."""
SETTINGS = tuple(REGISTRY)
"""The settings a result records and a change can come from (their origin says where)."""

ValueKey = tuple[str, str, int, str, str]
"""A monitoring value's place: pair, indicator, year, breakdown dimension and category."""


@dataclass(frozen=True)
class ResultChange:
    """One shown figure, status or grade that moved.

    Attributes
    ----------
    who : str
        The pair's code, or ``programme``.
    subject : str
        What moved: an RI (``RI3``), an indicator (``RI3.1``), a question (``QE5``)…
    kind : str
        ``index``, ``status``, ``value``, ``achievement``, ``grade``, ``rank``, ``added`` or
        ``removed``.
    before, after : object
        The two values (a ratio, a status code, a grade, a number), ``None`` when absent.
    """

    who: str
    subject: str
    kind: str
    before: object
    after: object


@dataclass(frozen=True)
class RowChange:
    """A monitoring value that appeared, changed or disappeared, with where it is now read."""

    key: ValueKey
    before: float | None
    after: float | None
    where: str


@dataclass(frozen=True)
class SettingChange:
    """A setting a pair's results were computed with, before and after, with its origin."""

    who: str
    name: str
    before: object
    after: object
    origin: str


@dataclass(frozen=True)
class StaleFinding:
    """A question the team has written on, whose evidence moved while their text did not."""

    who: str
    question: str
    because: tuple[str, ...]


@dataclass
class Comparison:
    """Everything that moved between two states of one phase."""

    phase: str
    results: list[ResultChange] = field(default_factory=list)
    rows: list[RowChange] = field(default_factory=list)
    settings: list[SettingChange] = field(default_factory=list)
    stale: list[StaleFinding] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Nothing moved."""
        return not (self.results or self.rows or self.settings or self.stale)

    def pairs(self) -> list[str]:
        """The pairs (and ``programme``) something moved for, in order of first mention."""
        seen: dict[str, None] = {}
        for item in (*self.results, *self.settings, *self.stale):
            seen.setdefault(item.who, None)
        for row in self.rows:
            seen.setdefault(row.key[0], None)
        return list(seen)


def _moved(a, b) -> bool:
    if missing(a) and missing(b):
        return False
    if missing(a) or missing(b):
        return True
    return abs(float(a) - float(b)) >= FIGURE_TOLERANCE


def _ri_changes(who: str, old: dict, new: dict) -> list[ResultChange]:
    ri = new.get("ri") or old.get("ri")
    out = []
    if _moved(old.get("index"), new.get("index")):
        out.append(ResultChange(who, ri, "index", old.get("index"), new.get("index")))
    if old.get("status") != new.get("status"):
        out.append(ResultChange(who, ri, "status", old.get("status"), new.get("status")))
    grade = (old.get("grade") or {}).get("score"), (new.get("grade") or {}).get("score")
    if grade[0] != grade[1]:
        out.append(ResultChange(who, ri, "grade", *grade))
    before = {row["code"]: row for row in old.get("indicators", [])}
    for row in new.get("indicators", []):
        was = before.get(row["code"], {})
        if _moved(was.get("actual"), row.get("actual")):
            out.append(ResultChange(who, row["code"], "value", was.get("actual"),
                                    row.get("actual")))
        if was.get("status") != row.get("status"):
            out.append(ResultChange(who, row["code"], "status", was.get("status"),
                                    row.get("status")))
    return out


def _pair_changes(who: str, old: dict, new: dict) -> list[ResultChange]:
    out = []
    if _moved(old.get("overall_index"), new.get("overall_index")):
        out.append(ResultChange(who, "", "index", old.get("overall_index"),
                                new.get("overall_index")))
    if old.get("overall_status") != new.get("overall_status"):
        out.append(ResultChange(who, "", "status", old.get("overall_status"),
                                new.get("overall_status")))
    for group in ("questions", "criteria"):
        was, now = old.get(group) or {}, new.get(group) or {}
        for code in sorted(set(was) | set(now)):
            grades = (was.get(code) or {}).get("score"), (now.get(code) or {}).get("score")
            if grades[0] != grades[1]:
                out.append(ResultChange(who, code, "grade", *grades))
    return out


def _programme_changes(old: dict, new: dict) -> list[ResultChange]:
    out = []
    if old.get("ranking") != new.get("ranking"):
        out.append(ResultChange("programme", "", "rank", old.get("ranking"), new.get("ranking")))
    was, now = old.get("programme_index") or {}, new.get("programme_index") or {}
    for ri in sorted(set(was) | set(now)):
        if _moved(was.get(ri), now.get(ri)):
            out.append(ResultChange("programme", ri, "index", was.get(ri), now.get(ri)))
    return out


def _who(name: str) -> str:
    return name.split("/", 1)[0]


def compare_states(phase: str, before: dict, after: dict, programme: Programme,
                   matrix: EvaluationMatrix | None) -> Comparison:
    """Compare two states of a phase.

    Parameters
    ----------
    phase : str
        The phase both states belong to.
    before, after : dict
        ``{"results": {"<pair>/<notebook>": sidecar dict}, "values": [[pair, indicator,
        year, dimension, category, value, "file:line"], …]}``.
    programme : Programme
        For the indicators of each RI.
    matrix : EvaluationMatrix or None
        For the indicators each evaluation question rests on (stale findings); ``None``: none
        are looked for.

    Returns
    -------
    Comparison
    """
    found = Comparison(phase)
    old_results, new_results = before.get("results", {}), after.get("results", {})
    for name in sorted(set(old_results) | set(new_results)):
        old, new = old_results.get(name), new_results.get(name)
        who = _who(name)
        if old is None or new is None:
            subject = (new or old).get("ri") or ""
            found.results.append(ResultChange(who, subject, "added" if old is None else "removed",
                                              None, None))
            continue
        kind = new.get("kind")
        if kind == "ri":
            found.results += _ri_changes(who, old, new)
        elif kind == "pair":
            found.results += _pair_changes(who, old, new)
        elif kind == "programme":
            found.results += _programme_changes(old, new)
        if kind == "ri":  # the settings a pair's results were computed with
            was, now = old.get("parameters", {}), new.get("parameters", {})
            for setting in SETTINGS:
                if was.get(setting) != now.get(setting):
                    change = SettingChange(who, setting, was.get(setting), now.get(setting),
                                           new.get("origins", {}).get(setting, ""))
                    if change not in found.settings:
                        found.settings.append(change)
    found.rows = _row_changes(before.get("values", []), after.get("values", []))
    if matrix is not None:
        found.stale = _stale(found, old_results, new_results, programme, matrix)
    return found


def _row_changes(before: list, after: list) -> list[RowChange]:
    def table(rows):
        return {(r[0], r[1], int(r[2]), r[3], r[4]): (r[5], r[6]) for r in rows}

    old, new = table(before), table(after)
    out = []
    for key in sorted(set(old) | set(new)):
        was, now = old.get(key, (None, "")), new.get(key, (None, ""))
        if _moved(was[0], now[0]):
            out.append(RowChange(key, was[0], now[0], now[1] or was[1]))
    return out


def _stale(found: Comparison, old_results: dict, new_results: dict, programme: Programme,
           matrix: EvaluationMatrix) -> list[StaleFinding]:
    """Questions with written text unchanged whose indicators (or RI) moved."""
    moved: dict[str, set[str]] = {}
    for change in found.results:
        if change.kind in ("value", "status", "index") and change.subject:
            moved.setdefault(change.who, set()).add(change.subject)
    out = []
    for name, new in sorted(new_results.items()):
        if new.get("kind") != "pair":
            continue
        who, old = _who(name), old_results.get(name) or {}
        subjects = moved.get(who, set())
        if not subjects:
            continue
        for question in matrix.questions:
            text = ((new.get("questions") or {}).get(question.code) or {}).get("text", "")
            was = ((old.get("questions") or {}).get(question.code) or {}).get("text", "")
            if not text.strip() or text != was:
                continue  # nothing written, or rewritten since: not stale
            codes = set(matrix.indicator_codes(question, programme))
            ris = {programme.indicator_map[c].ri for c in codes if c in programme.indicator_map}
            because = sorted((codes | ris) & subjects)
            if because:
                out.append(StaleFinding(who, question.code, tuple(because)))
    return out


def describe(kind: str, value) -> str:
    """A value of a change as a reader reads it (a status in words, a ratio in per cent)."""
    if value is None:
        return "—"
    if kind == "status":
        return status_label(value)
    if kind in ("index", "achievement"):
        return fmt.percent(value, 1, ratio=True)
    if kind == "value":
        return fmt.number(value, 1)
    if kind == "rank":
        return " > ".join(value)
    return str(value)
