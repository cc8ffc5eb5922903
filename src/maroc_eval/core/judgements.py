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
from ..sidecar import Finding
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

    def ri(self, phase: str, pair: str, ri: str) -> Finding | None:
        """The judgement on one intermediate result, or ``None`` if not written yet."""
        return self.entries.get((phase, pair), {}).get("ri", {}).get(ri)

    def criteria(self, phase: str, pair: str) -> dict[str, Finding]:
        """The DAC criteria judged for a pair at a phase (code → Finding), possibly empty."""
        return dict(self.entries.get((phase, pair), {}).get("criteria", {}))

    def only(self, phases: list[str]) -> Judgements:
        """The judgements of these phases only (what a phase's reader may see)."""
        return Judgements(self.file, {k: v for k, v in self.entries.items() if k[0] in phases})

    def pairs(self, phase: str) -> list[str]:
        """Pairs with at least one judgement at a phase."""
        return [p for (ph, p) in self.entries if ph == phase]


class _Reader:
    def __init__(self, doc: YamlDocument, programme: Programme, problems: ProblemList):
        self.doc, self.programme, self.problems = doc, programme, problems

    def add(self, path: tuple, value, expected: str, kind: str, severity: str = "erreur") -> None:
        shown = value if isinstance(value, str | int | float | bool) or value is None else \
            type(value).__name__
        self.problems.add(self.doc.file, self.doc.line_of(path), ".".join(map(str, path)) or None,
                          shown, expected, kind=kind, severity=severity)

    def mapping(self, path: tuple, data, what: str) -> dict | None:
        if data is None:
            return {}
        if not isinstance(data, dict):
            self.add(path, data, f"{what} (des clés suivies de « : »)", "judgement-type")
            return None
        return data

    def known(self, path: tuple, key, choices: list[str], what: str, kind: str) -> bool:
        if key in choices:
            return True
        self.add((*path, key), key, f"{what} parmi {', '.join(choices)}"
                 + suggest(str(key), choices), kind)
        return False

    def read(self) -> Judgements:
        judgements = Judgements(file=self.doc.file)
        top = self.mapping((), self.doc.data, "des phases (midterm, final)")
        for phase, pairs in (top or {}).items():
            if not self.known((), phase, list(self.programme.phases), "une phase", "unknown-phase"):
                continue
            for pair, body in (self.mapping((phase,), pairs, "des partenariats") or {}).items():
                if self.known((phase,), pair, self.programme.pair_codes, "un partenariat",
                              "unknown-pair"):
                    entry = self.pair((phase, pair), body)
                    if entry:
                        judgements.entries[(phase, pair)] = entry
        return judgements

    def pair(self, path: tuple, body) -> dict:
        entry: dict[str, dict[str, Finding]] = {"ri": {}, "criteria": {}}
        for section, items in (self.mapping(path, body, "resultats et criteres_cad") or {}).items():
            if not self.known(path, section, list(SECTIONS), "une rubrique", "unknown-key"):
                continue
            choices = [r.code for r in self.programme.results] if section == "resultats" \
                else [c.code for c in self.programme.criteria]
            what = "un résultat intermédiaire" if section == "resultats" else "un critère CAD"
            kind = "unknown-ri" if section == "resultats" else "unknown-criterion"
            for code, raw in (self.mapping((*path, section), items, what + "s") or {}).items():
                if self.known((*path, section), code, choices, what, kind):
                    finding = self.finding((*path, section, code), raw)
                    if finding is not None:
                        entry[SECTIONS[section]][code] = finding
        return entry

    def finding(self, path: tuple, raw) -> Finding | None:
        data = self.mapping(path, raw, "une appréciation {note: …, constats: […]}")
        if data is None:
            return None
        before = len(self.problems.items)
        values: dict = {"score": None, "findings": [], "recommendations": [], "justification": None}
        for key, value in data.items():
            if not self.known(path, key, list(FIELDS), "une clé", "unknown-key"):
                continue
            if key == "note":
                values["score"] = self.score((*path, key), value)
            elif key == "justification":
                if value is not None and not isinstance(value, str | int | float):
                    self.add((*path, key), value, "un texte", "judgement-type")
                else:
                    values["justification"] = None if value is None else str(value)
            else:
                values[FIELDS[key]] = self.texts((*path, key), value)
        if "note" not in data:
            self.add(path, None, "une clé « note » (" + ", ".join(self.programme.rating_codes)
                     + ")", "missing-score")
        elif data["note"] is None:
            self.add((*path, "note"), None, "une note (" + ", ".join(self.programme.rating_codes)
                     + ") — pas encore attribuée", "no-score", WARNING)
        ok = not any(p.is_error for p in self.problems.items[before:])
        return Finding(**values) if ok else None

    def score(self, path: tuple, value) -> str | None:
        codes = self.programme.rating_codes
        if value is None:
            return None
        if isinstance(value, str) and value.strip().upper() in codes:
            return value.strip().upper()
        self.add(path, value, "une note de l'échelle du programme : " + ", ".join(
            f"{r.code} ({r.label})" for r in self.programme.scale), "bad-score")
        return None

    def texts(self, path: tuple, value) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
            return [str(v) for v in value]
        self.add(path, value, "une liste de textes (- « … » sur chaque ligne)", "judgement-type")
        return []


def read_judgements(path: Path | str,
                    programme: Programme) -> tuple[Judgements | None, ProblemList]:
    """Read a judgements file and return every problem instead of raising.

    Parameters
    ----------
    path : Path or str
        The YAML file (``appreciations.yml``).
    programme : Programme
        The programme whose phases, pairs, results, criteria and scale are accepted.

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
    return _Reader(doc, programme, problems).read(), problems


def load_judgements(path: Path | str, programme: Programme) -> Judgements:
    """Load the evaluators' judgements.

    Parameters
    ----------
    path : Path or str
        The YAML file (``appreciations.yml``).
    programme : Programme
        The programme definition.

    Returns
    -------
    Judgements

    Raises
    ------
    InputError
        Every problem found (unknown phase, pair, RI or criterion, score off the scale…).
    """
    judgements, problems = read_judgements(path, programme)
    if problems.errors or judgements is None:
        raise InputError(problems.items)
    return judgements
