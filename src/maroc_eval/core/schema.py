"""Pydantic's validation errors turned into located French problems (file, key path, line).

The parameter files are YAML with French keys (aliases of the models' English attributes): an
error is reported at the YAML key the user wrote, on its line, with what was expected in French.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ValidationError

from ..base.errors import ProblemList
from ..base.i18n import N_, _
from .yamlio import YamlDocument

EXPECTED = {
    "missing": N_("cette clé, obligatoire"),
    "extra_forbidden": N_("aucune clé de ce nom (clé inconnue)"),
    "int_parsing": N_("un nombre entier"),
    "float_parsing": N_("un nombre"),
    "string_type": N_("un texte"),
    "literal_error": N_("une des valeurs permises"),
    "string_pattern_mismatch": N_("un code en minuscules et tirets (ex. jette-sidi-bibi)"),
    "greater_than": N_("un nombre strictement positif"),
    "too_short": N_("une liste plus longue"),
}
"""What was expected, by pydantic error type (French source, translated where used; other
types keep pydantic's text)."""


def yaml_problems(exc: ValidationError, doc: YamlDocument, problems: ProblemList, *,
                  models: tuple[type[BaseModel], ...], kind: str) -> None:
    """Record each validation error of ``exc`` at its YAML key and line.

    Parameters
    ----------
    exc : ValidationError
        What pydantic found.
    doc : YamlDocument
        The document validated (its keys and lines).
    problems : ProblemList
        Receives one problem per error.
    models : tuple of model classes
        The models met in the document, to map attribute names back to YAML keys.
    kind : str
        The problems' machine-readable kind.
    """
    for err in exc.errors():
        loc = _yaml_loc(err["loc"], doc.data, models)
        key = ".".join(str(x) for x in loc) or "(racine)"
        value = err.get("input")
        shown = value if isinstance(value, str | int | float | bool) else None
        problems.add(doc.file, doc.line_of(loc), key, shown, _french(err), kind=kind)


def _yaml_loc(loc: tuple, data, models) -> tuple:
    """Map a pydantic location (attribute names) back to the YAML key path (aliases)."""
    out = []
    for part in loc:
        if isinstance(data, dict) and part not in data:
            part = next((k for k in data if _attribute_of(k, models) == part), part)
        out.append(part)
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            data = None
    return tuple(out)


def _attribute_of(yaml_key, models) -> str:
    for model in models:
        for name, f in model.model_fields.items():
            if f.alias == yaml_key:
                return name
    return yaml_key


def error_text(err: dict) -> str:
    """The text of one pydantic error: for an error a validator raised (``value_error``,
    ``assertion_error``), that error's own message (``ctx["error"]``), else pydantic's."""
    error = (err.get("ctx") or {}).get("error")
    if err["type"] in ("value_error", "assertion_error") and error is not None:
        return str(error)
    return err["msg"]


def _french(err: dict) -> str:
    kind = err["type"]
    if kind == "literal_error" and "expected" in (err.get("ctx") or {}):
        # ``ctx["expected"]`` is the choices' reprs (``'a', 'b' or 'c'``): the values taken
        choices = re.findall(r"'((?:[^'\\]|\\.)*)'", str(err["ctx"]["expected"]))
        return _("une des valeurs {choices}").format(
            choices=", ".join(f"'{c}'" for c in choices))
    return _(EXPECTED[kind]) if kind in EXPECTED else error_text(err)
