"""The toolkit's exceptions: one base, a few precise subclasses carrying structured fields.

The CLI turns every :class:`EvaluationError` into a message in the user's language (French
source, :mod:`maroc_eval.base.i18n`) and an exit status; a user's mistake never shows a traceback.
"""

from __future__ import annotations

import difflib
import errno
from dataclasses import dataclass, field
from pathlib import Path

from . import i18n, paths
from .i18n import N_, _, ngettext

ERROR = N_("erreur")
WARNING = N_("avertissement")
"""Severities: codes compared as they are, translated when shown (``_(severity)``)."""
NNBSP = "\u202f"


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
        what = (_("valeur « {value} »").format(value=self.value) if self.value is not None
                else _NO_VALUE.get(self.kind))
        if what is None:
            return _("{where}: {severity} : attendu : {expected}").format(
                where=where, severity=_(self.severity), expected=self.expected)
        return _("{where}: {severity} : {what} — attendu : {expected}").format(
            where=where, severity=_(self.severity), what=_(what), expected=self.expected)


_NO_VALUE = {
    "missing-file": N_("fichier ou dossier introuvable"),
    "symlink-loop": N_("lien symbolique en boucle (il mène à lui-même)"),
    "dangling-link": N_("lien symbolique vers un fichier introuvable"),
    "is-folder": N_("c'est un dossier"),
    "special-file": N_("ni un fichier ni un dossier (tube, périphérique…)"),
    "unreadable-path": N_("accès refusé par le système"),
    "missing-value": N_("cellule vide"),
    "missing-pair": N_("cellule vide"),
    "missing-indicator": N_("cellule vide"),
    "missing-year": N_("cellule vide"),
    "missing-column": N_("colonne absente"),
    "empty-file": N_("fichier vide"),
}
"""What stands in place of the value when a problem has none, by kind."""

MAX_PER_KIND = 20
"""Problems of one kind kept and shown per file; the rest are counted (``--max-problemes``)."""

KIND_LABELS = {
    "unknown-pair": N_("partenariat inconnu"),
    "unknown-indicator": N_("indicateur inconnu"),
    "missing-value": N_("valeur manquante"),
    "not-numeric": N_("valeur non numérique"),
    "out-of-range": N_("valeur hors des bornes"),
    "bad-year": N_("année illisible"),
    "date-year": N_("date au lieu d'une année"),
    "year-out-of-range": N_("année hors de la période"),
    "short-row": N_("ligne incomplète"),
    "long-row": N_("ligne trop longue"),
    "encoding": N_("cellule mal encodée"),
    "nul-byte": N_("caractère nul"),
    "duplicate": N_("doublon"),
    "percent-sign": N_("valeur écrite avec « % »"),
}
"""How the rest of a kind is named in the count line (« … et 12 autres lignes : doublon »)."""


@dataclass
class ProblemList:
    """Collects problems so that every one is reported, not only the first.

    At most ``limit`` problems of each kind are kept per file (default :data:`MAX_PER_KIND`);
    the others are only counted, so that a file of millions of bad rows costs bounded memory and
    prints a few lines (:meth:`summary_lines`).
    """

    items: list[Problem] = field(default_factory=list)
    limit: int | None = None
    omitted: dict[tuple[str, str, str], int] = field(default_factory=dict)
    _seen: dict[tuple[str, str, str], int] = field(default_factory=dict, repr=False)

    def add(self, file, line, column, value, expected, *, kind="invalid", severity=ERROR) -> None:
        """Record one problem (see :class:`Problem` for the fields)."""
        key = (str(file), kind, severity)
        seen = self._seen.get(key, 0) + 1
        self._seen[key] = seen
        if seen > (MAX_PER_KIND if self.limit is None else self.limit):
            self.omitted[key] = self.omitted.get(key, 0) + 1
            return
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
        """Append the problems of another list (and its counts of omitted ones)."""
        if isinstance(other, ProblemList):
            self.items.extend(other.items)
            for key, n in other.omitted.items():
                self.omitted[key] = self.omitted.get(key, 0) + n
            for key, n in other._seen.items():
                self._seen[key] = self._seen.get(key, 0) + n
        else:
            self.items.extend(other)

    @property
    def errors(self) -> list[Problem]:
        """The blocking problems kept."""
        return [p for p in self.items if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        """The non-blocking problems kept."""
        return [p for p in self.items if not p.is_error]

    @property
    def has_errors(self) -> bool:
        """Whether any problem, kept or only counted, blocks the evaluation."""
        return bool(self.errors) or any(s == ERROR for (_f, _k, s) in self.omitted)

    def counts(self) -> tuple[int, int]:
        """``(errors, warnings)``, those only counted included."""
        n_err = len(self.errors) + sum(n for (_f, _k, s), n in self.omitted.items() if s == ERROR)
        n_all = len(self.items) + sum(self.omitted.values())
        return n_err, n_all - n_err

    def summary_lines(self) -> list[str]:
        """One line per kind whose problems were only counted, after those shown."""
        lines = []
        for (file, kind, severity), n in sorted(self.omitted.items()):
            label = _(KIND_LABELS[kind]) if kind in KIND_LABELS else next(
                (p.expected for p in self.items if p.file == file and p.kind == kind), kind)
            count = f"{n:,}".replace(",", NNBSP if i18n.language() == "fr" else ",")
            if severity == ERROR:
                line = _("{file}: {severity} : … et {n} autres lignes : {label}")
            else:
                line = _("{file}: {severity} : … et {n} autres avertissements : {label}")
            lines.append(line.format(file=file, severity=_(severity), n=count, label=label))
        return lines

    def raise_if_errors(self) -> None:
        """Raise :class:`InputError` carrying every problem if any is an error."""
        if self.has_errors:
            raise InputError(self)


def _shorten(text: str, limit: int = 80) -> str:
    text = text.replace("\n", "\\n").replace("\r", "\\r")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class EvaluationError(Exception):
    """Base of every error the toolkit reports to a user."""

    exit_status = 2

    def messages(self) -> list[str]:
        """The lines to show the user, in the current language."""
        return [str(self)]

    def _render_traceback_(self) -> list[str]:
        """How IPython shows this error in a notebook: the message, no traceback."""
        return [f"{type(self).__name__}: " + self.messages()[0], *self.messages()[1:]]


class InputError(EvaluationError):
    """Input files (programme, monitoring data, judgements, parameters) hold errors."""

    def __init__(self, problems: ProblemList | list[Problem]):
        if not isinstance(problems, ProblemList):
            problems = ProblemList(list(problems))
        self.found = problems
        self.problems = list(problems.items)
        n = problems.counts()[0]
        super().__init__(ngettext("{n} erreur dans les données d'entrée",
                                  "{n} erreurs dans les données d'entrée", n).format(n=n))

    def __reduce__(self):  # pickled from its problems (a report worker sends it to its parent)
        return type(self), (self.found,)

    def messages(self) -> list[str]:
        """One line per problem kept, one per kind only counted, then the totals."""
        n_err, n_warn = self.found.counts()
        return [*(p.format() for p in self.problems), *self.found.summary_lines(),
                totals(n_err, n_warn)]


def totals(errors: int, warnings: int) -> str:
    """« 2 erreurs, 1 avertissement. »: the closing line of a list of problems."""
    return _("{errors}, {warnings}.").format(
        errors=ngettext("{n} erreur", "{n} erreurs", errors).format(n=errors),
        warnings=ngettext("{n} avertissement", "{n} avertissements", warnings).format(
            n=warnings))


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
        return str(paths.resolved(p).relative_to(paths.resolved(Path.cwd())))
    except (ValueError, OSError):  # elsewhere, or a symbolic link loop: as the user wrote it
        return str(p)


PATH_PROBLEMS = {
    paths.MISSING: "missing-file", paths.LOOP: "symlink-loop", paths.DANGLING: "dangling-link",
    paths.FOLDER: "is-folder", paths.SPECIAL: "special-file", paths.UNREADABLE: "unreadable-path",
}
"""The problem kind of each :func:`maroc_eval.base.paths.path_kind` that is not a readable file."""
_REMEDIES = {
    "symlink-loop": N_("remplacez le lien par le fichier qu'il devait désigner"),
    "dangling-link": N_("le fichier désigné a été déplacé ou supprimé"),
    "is-folder": N_("donnez les fichiers qu'il contient"),
}


def file_problem(path: Path | str, problems: ProblemList, expected: str) -> bool:
    """Record why a path given as a file cannot be read as one; whether it cannot.

    Parameters
    ----------
    path : Path or str
        The path as the user gave it.
    problems : ProblemList
        Receives the problem (the file as shown, what it really is, what to do).
    expected : str
        What was expected there, in the language spoken (« un fichier de suivi… »).

    Returns
    -------
    bool
        ``True`` if ``path`` is not a regular file (missing, a folder, a symbolic link loop, a
        link to nothing, a pipe or a device: never opened, it could block or never end).
    """
    kind = PATH_PROBLEMS.get(paths.path_kind(path))
    if kind is None:
        return False
    remedy = _REMEDIES.get(kind)
    problems.add(display_path(path), None, None, None,
                 f"{expected} ; {_(remedy)}" if remedy else expected, kind=kind)
    return True


def folder_problem(path: Path | str, option: str) -> None:
    """Refuse a path given for a folder (``--donnees``) that is not one, saying what it is.

    Raises
    ------
    ParameterError
        « --donnees « x » : lien symbolique en boucle (il mène à lui-même) ; attendu : un
        dossier existant. »
    """
    kind = paths.path_kind(path)
    if kind == paths.FOLDER:
        return
    what = _("c'est un fichier") if kind == paths.FILE else _(_NO_VALUE[PATH_PROBLEMS[kind]])
    raise ParameterError(_("{option} « {path} » : {what} ; attendu : un dossier existant.").format(
        option=option, path=display_path(path), what=what))


def suggest(value: str, choices: list[str]) -> str:
    """A « vouliez-vous dire » hint for an unknown code, or an empty string."""
    close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in choices}
        close = difflib.get_close_matches(str(value).lower(), list(lowered), n=1, cutoff=0.6)
        close = [lowered[c] for c in close]
    return _(" (vouliez-vous dire « {hint} » ?)").format(hint=close[0]) if close else ""


OS_REASONS = {
    errno.EROFS: N_("le système de fichiers est en lecture seule"),
    errno.EACCES: N_("permission refusée"),
    errno.EPERM: N_("permission refusée"),
    errno.ENOSPC: N_("le disque est plein"),
    errno.EDQUOT: N_("le quota disque est dépassé"),
    errno.EEXIST: N_("un fichier de ce nom existe déjà"),
    errno.ENOTDIR: N_("un élément du chemin n'est pas un dossier"),
    errno.EISDIR: N_("c'est un dossier, un fichier est attendu"),
    errno.ENOENT: N_("fichier ou dossier introuvable"),
    errno.ENAMETOOLONG: N_("nom de fichier trop long"),
    errno.ELOOP: N_("lien symbolique en boucle (il mène à lui-même)"),
}


def os_reason(exc: OSError) -> str:
    """The French reason of a system error (« le disque est plein »…).

    Parameters
    ----------
    exc : OSError
        The error raised by the operating system.

    Returns
    -------
    str
        A French phrase; the system's own text for an error this table does not know.
    """
    return _(OS_REASONS[exc.errno]) if exc.errno in OS_REASONS else (exc.strerror or str(exc))


def os_message(exc: OSError) -> str:
    """A French sentence for a system error, naming the path concerned when there is one.

    Parameters
    ----------
    exc : OSError
        The error; its ``filename`` is the path named.

    Returns
    -------
    str
        « « chemin » : raison. », or « Erreur du système : raison. » without a path.
    """
    where = exc.filename
    reason = os_reason(exc)
    if where is None:
        return _("Erreur du système : {reason}.").format(reason=reason)
    return _("« {path} » : {reason}.").format(path=display_path(Path(str(where))), reason=reason)
