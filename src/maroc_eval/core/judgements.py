"""The evaluators' judgements (``appreciations.yml``): scores, findings and recommendations.

Layout (French keys, edited by hand)::

    midterm:                       # phase code
      jette-sidi-bibi:             # pair code
        resultats:
          RI1: {note: B, constats: ["…"], recommandations: ["…"]}
        criteres_cad:
          pertinence: {note: A, justification: "…"}

Every problem is reported with the file, the key path and its line. Text is kept as written;
escaping is the renderer's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import WARNING, InputError, ProblemList, suggest
from ..i18n import _
from ..sidecar import Finding
from .conclusions import EVALUATION_KEYS, PROGRAMME_KEY, Evaluation, EvaluationReader, read_text
from .programme import Programme
from .yamlio import YamlDocument, load_yaml

SECTIONS = {"resultats": "ri", "criteres_cad": "criteria"}
FIELDS = {"note": "score", "constats": "findings", "recommandations": "recommendations",
          "justification": "justification"}


@dataclass
class Judgements:
    """Judgements by phase and pair.

    Attributes
    ----------
    file : str
        The file they were read from.
    entries : dict
        ``{(phase, pair): {"ri": {RI: Finding}, "criteria": {code: Finding}}}``.
    """

    file: str = ""
    entries: dict[tuple[str, str], dict[str, dict[str, Finding]]] = field(default_factory=dict)
    evaluations: dict[tuple[str, str], Evaluation] = field(default_factory=dict)
    """``{(phase, pair or "programme"): Evaluation}``: questions, conclusions, recommendations."""
    lines: dict[tuple, int] = field(default_factory=dict)
    """Line of each judged item, ``(phase, pair, section, code)`` → line, for warnings."""
    english: dict[str, str] = field(default_factory=dict)
    """The English versions the evaluators gave (``{fr: …, en: …}``), French text → English
    text (:func:`maroc_eval.core.conclusions.localised`)."""

    def ri(self, phase: str, pair: str, ri: str) -> Finding | None:
        """The judgement on one intermediate result, or ``None`` if not written yet."""
        return self.entries.get((phase, pair), {}).get("ri", {}).get(ri)

    def criteria(self, phase: str, pair: str) -> dict[str, Finding]:
        """The DAC criteria judged for a pair at a phase (code → Finding), possibly empty."""
        return dict(self.entries.get((phase, pair), {}).get("criteria", {}))

    def evaluation(self, phase: str, who: str) -> Evaluation:
        """The conclusions of a pair (or of ``"programme"``) at a phase (empty if none)."""
        return self.evaluations.get((phase, who)) or Evaluation()

    def line(self, *path) -> int | None:
        """The line of a judged item (``phase, pair, section, code``), if known."""
        return self.lines.get(tuple(path))

    def only(self, phases: list[str]) -> Judgements:
        """The judgements of these phases only (what a phase's reader may see)."""
        return Judgements(self.file, {k: v for k, v in self.entries.items() if k[0] in phases},
                          {k: v for k, v in self.evaluations.items() if k[0] in phases},
                          {k: v for k, v in self.lines.items() if k[0] in phases}, self.english)

    def pairs(self, phase: str) -> list[str]:
        """Pairs with at least one judgement at a phase."""
        return [p for (ph, p) in self.entries if ph == phase]


class _Reader:
    def __init__(self, doc: YamlDocument, programme: Programme, problems: ProblemList,
                 matrix=None):
        self.doc, self.programme, self.problems = doc, programme, problems
        self.evaluation = EvaluationReader(self, matrix)
        self.judgements = Judgements(file=doc.file)

    def add(self, path: tuple, value, expected: str, kind: str, severity: str = "erreur") -> None:
        shown = value if isinstance(value, str | int | float | bool) or value is None else \
            type(value).__name__
        self.problems.add(self.doc.file, self.doc.line_of(path), ".".join(map(str, path)) or None,
                          shown, expected, kind=kind, severity=severity)

    def mapping(self, path: tuple, data, what: str) -> dict | None:
        if data is None:
            return {}
        if not isinstance(data, dict):
            self.add(path, data, _("{what} (des clés suivies de « : »)").format(what=what),
                     "judgement-type")
            return None
        return data

    def known(self, path: tuple, key, choices: list[str], what: str, kind: str) -> bool:
        if key in choices:
            return True
        self.add((*path, key), key, f"{what} parmi {', '.join(choices)}"
                 + suggest(str(key), choices), kind)
        return False

    def read(self) -> Judgements:
        judgements = self.judgements
        top = self.mapping((), self.doc.data, _("des phases (midterm, final)"))
        for phase, pairs in (top or {}).items():
            if not self.known((), phase, list(self.programme.phases), _("une phase"),
                              "unknown-phase"):
                continue
            for pair, body in (self.mapping((phase,), pairs, _("des partenariats")) or {}).items():
                if self.known((phase,), pair, [*self.programme.pair_codes, PROGRAMME_KEY],
                              _("un partenariat (ou « programme »)"), "unknown-pair"):
                    entry = self.pair((phase, pair), body)
                    if entry:
                        judgements.entries[(phase, pair)] = entry
        return judgements

    def pair(self, path: tuple, body) -> dict:
        entry: dict[str, dict[str, Finding]] = {"ri": {}, "criteria": {}}
        data = self.mapping(path, body, "resultats, criteres_cad, questions, …") or {}
        self.judgements.evaluations[path] = self.evaluation.read(path, data)
        self.judgements.lines[path] = self.doc.line_of(path)
        for key in ("questions", "objectif"):
            for code in ((data.get(key) or {}) if key == "questions" else {key: 1}):
                where = (*path, key, code) if key == "questions" else (*path, key)
                if self.doc.line_of(where):
                    self.judgements.lines[(*path, key, code)] = self.doc.line_of(where)
        for section, items in data.items():
            if section in EVALUATION_KEYS:
                continue
            if path[1] == PROGRAMME_KEY:
                self.known(path, section, list(EVALUATION_KEYS), _("une rubrique du programme"),
                           "unknown-key")
                continue
            if not self.known(path, section, [*SECTIONS, *EVALUATION_KEYS], _("une rubrique"),
                              "unknown-key"):
                continue
            choices = [r.code for r in self.programme.results] if section == "resultats" \
                else [c.code for c in self.programme.criteria]
            what = _("un résultat intermédiaire") if section == "resultats" else _("un critère CAD")
            kind = "unknown-ri" if section == "resultats" else "unknown-criterion"
            for code, raw in (self.mapping((*path, section), items, what + "s") or {}).items():
                if self.known((*path, section), code, choices, what, kind):
                    self.judgements.lines[(*path, section, code)] = \
                        self.doc.line_of((*path, section, code))
                    finding = self.finding((*path, section, code), raw)
                    if finding is not None:
                        entry[SECTIONS[section]][code] = finding
        return entry

    def finding(self, path: tuple, raw) -> Finding | None:
        data = self.mapping(path, raw, _("une appréciation {note: …, constats: […]}"))
        if data is None:
            return None
        before = len(self.problems.items)
        values: dict = {"score": None, "findings": [], "recommendations": [], "justification": None}
        for key, value in data.items():
            if not self.known(path, key, list(FIELDS), _("une clé"), "unknown-key"):
                continue
            if key == "note":
                values["score"] = self.score((*path, key), value)
            elif key == "justification":
                values["justification"] = read_text(self, (*path, key), value)
            else:
                values[FIELDS[key]] = self.texts((*path, key), value, prose=True)
        if "note" not in data:
            self.add(path, None, _("une clé « note » (") + ", ".join(self.programme.rating_codes)
                     + ")", "missing-score")
        elif data["note"] is None:
            self.add((*path, "note"), None, _("une note (") + ", ".join(self.programme.rating_codes)
                     + _(") — pas encore attribuée"), "no-score", WARNING)
        ok = not any(p.is_error for p in self.problems.items[before:])
        return Finding(**values) if ok else None

    def score(self, path: tuple, value) -> str | None:
        codes = self.programme.rating_codes
        if value is None:
            return None
        if isinstance(value, str) and value.strip().upper() in codes:
            return value.strip().upper()
        self.add(path, value, _("une note de l'échelle du programme : ") + ", ".join(
            f"{r.code} ({r.label})" for r in self.programme.scale), "bad-score")
        return None

    def texts(self, path: tuple, value, prose: bool = False) -> list[str]:
        """A list of texts (or one); with ``prose``, each may be ``{fr: …, en: …}``
        (:func:`~maroc_eval.core.conclusions.read_text`): the French texts are returned."""
        if value is None:
            return []
        if prose and isinstance(value, dict):
            value = read_text(self, path, value)
            return [] if value is None else [value]
        if isinstance(value, str):
            return [value]
        if prose and isinstance(value, list):
            found = [read_text(self, (*path, i), v) if isinstance(v, dict) else v
                     for i, v in enumerate(value)]
            value = [v for v in found if v is not None]
        if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
            return [str(v) for v in value]
        self.add(path, value, _("une liste de textes (- « … » sur chaque ligne)"), "judgement-type")
        return []


def read_judgements(path: Path | str, programme: Programme,
                    matrix=None) -> tuple[Judgements | None, ProblemList]:
    """Read a judgements file and return every problem instead of raising.

    Parameters
    ----------
    path : Path or str
        The YAML file (``appreciations.yml``).
    programme : Programme
        The programme whose phases, pairs, results, criteria and scale are accepted.
    matrix : EvaluationMatrix, optional
        The questions, addressees, priorities and follow-up states accepted.

    Returns
    -------
    tuple of (Judgements or None, ProblemList)
        ``None`` when the file cannot be read as YAML.
    """
    problems = ProblemList()
    try:
        doc = load_yaml(path)
    except InputError as exc:
        problems.extend(exc.problems)
        return None, problems
    return _Reader(doc, programme, problems, matrix).read(), problems


def load_judgements(path: Path | str, programme: Programme, matrix=None) -> Judgements:
    """Load the evaluators' judgements.

    Parameters
    ----------
    path : Path or str
        The YAML file (``appreciations.yml``).
    programme : Programme
        The programme definition.
    matrix : EvaluationMatrix, optional
        The evaluation matrix (questions and codes accepted).

    Returns
    -------
    Judgements

    Raises
    ------
    InputError
        Every problem found (unknown phase, pair, RI or criterion, score off the scale…).
    """
    judgements, problems = read_judgements(path, programme, matrix)
    if problems.errors or judgements is None:
        raise InputError(problems.items)
    return judgements
