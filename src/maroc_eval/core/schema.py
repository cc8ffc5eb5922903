"""Pydantic's validation errors turned into located French problems (file, key path, line).

The parameter files are YAML with French keys (aliases of the models' English attributes): an
error is reported at the YAML key the user wrote, on its line, with what was expected in French.
"""

from __future__ import annotations

from pydantic import BaseModel, ValidationError

from ..errors import ProblemList
from ..i18n import N_, _
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
        msg = err["msg"].removeprefix("Value error, ")
        problems.add(doc.file, doc.line_of(loc), key, shown, _french(err["type"], msg), kind=kind)


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


def _french(kind: str, msg: str) -> str:
    if kind == "literal_error":
        return _("une des valeurs {choices}").format(
            choices=msg.split("Input should be ", 1)[-1].replace(" or ", ", "))
    return _(EXPECTED[kind]) if kind in EXPECTED else msg
