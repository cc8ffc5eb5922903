"""The toolkit's exceptions: one base, a few precise subclasses carrying structured fields.

The CLI turns every :class:`EvaluationError` into a French message and an exit status; a user's
mistake never shows a traceback.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

ERROR = "erreur"
WARNING = "avertissement"


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file, located as precisely as the file allows.

    Attributes
    ----------
    file : str
        Path of the file, as the user gave it.
    line : int or None
        Line as the spreadsheet or editor numbers it (header = line 1 in a CSV).
    column : str or None
        Column name (CSV/XLSX) or key path (YAML).
    value : str or None
        The offending value, as read.
    expected : str
        What was expected, in French.
    severity : str
        ``"erreur"`` or ``"avertissement"``.
    kind : str
        A short machine-readable code (``unknown-pair``, ``not-numeric``…), for tests and tools.
    """

    file: str
    line: int | None
    column: str | None
    value: str | None
    expected: str
    severity: str = ERROR
    kind: str = "invalid"

    @property
    def is_error(self) -> bool:
        """Whether this problem blocks the evaluation."""
        return self.severity == ERROR

    def format(self) -> str:
        """Render as ``file:line:column: erreur : valeur « x » — attendu : …``."""
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.column:
            where += f":{self.column}"
        what = f"valeur « {self.value} »" if self.value is not None else "valeur absente"
        return f"{where}: {self.severity} : {what} — attendu : {self.expected}"


@dataclass
class ProblemList:
    """Collects problems so that every one is reported, not only the first."""

    items: list[Problem] = field(default_factory=list)

    def add(self, file, line, column, value, expected, *, kind="invalid", severity=ERROR) -> None:
        """Record one problem (see :class:`Problem` for the fields)."""
        self.items.append(
            Problem(
                file=str(file),
                line=line,
                column=column,
                value=None if value is None else _shorten(str(value)),
                expected=expected,
                severity=severity,
                kind=kind,
            )
        )

    def extend(self, other: ProblemList | list[Problem]) -> None:
        """Append the problems of another list."""
        self.items.extend(other.items if isinstance(other, ProblemList) else other)

    @property
    def errors(self) -> list[Problem]:
        """The blocking problems."""
        return [p for p in self.items if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        """The non-blocking problems."""
        return [p for p in self.items if not p.is_error]

    def raise_if_errors(self) -> None:
        """Raise :class:`InputError` carrying every problem if any is an error."""
        if self.errors:
            raise InputError(self.items)


def _shorten(text: str, limit: int = 80) -> str:
    text = text.replace("\n", "\\n").replace("\r", "\\r")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class EvaluationError(Exception):
    """Base of every error the toolkit reports to a user."""

    exit_status = 2

    def messages(self) -> list[str]:
        """The lines to show the user, in French."""
        return [str(self)]

    def _render_traceback_(self) -> list[str]:
        """How IPython shows this error in a notebook: the French message, no traceback."""
        return [f"{type(self).__name__}: " + self.messages()[0], *self.messages()[1:]]


class InputError(EvaluationError):
    """Input files (programme, monitoring data, judgements, parameters) hold errors."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        n = sum(p.is_error for p in self.problems)
        super().__init__(f"{n} erreur(s) dans les données d'entrée")

    def messages(self) -> list[str]:
        """One line per problem, then a count."""
        lines = [p.format() for p in self.problems]
        n_err = sum(p.is_error for p in self.problems)
        n_warn = len(self.problems) - n_err
        lines.append(f"{n_err} erreur(s), {n_warn} avertissement(s).")
        return lines


class ParameterError(EvaluationError):
    """A parameter name or value is not accepted (unknown name, unknown pair, bad path…)."""


class LockedError(EvaluationError):
    """Another run already works on the same output folder."""


class OutputError(EvaluationError):
    """An output cannot be written (read-only folder, disk full…)."""


def display_path(path: Path | str) -> str:
    """A path as shown in messages: relative to the working directory when possible."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


def suggest(value: str, choices: list[str]) -> str:
    """A French « vouliez-vous dire » hint for an unknown code, or an empty string."""
    close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in choices}
        close = difflib.get_close_matches(str(value).lower(), list(lowered), n=1, cutoff=0.6)
        close = [lowered[c] for c in close]
    return f" (vouliez-vous dire « {close[0]} » ?)" if close else ""
