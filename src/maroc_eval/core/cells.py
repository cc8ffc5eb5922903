"""Cells as communes write them: numbers the French way, yes/no, years, plain text.

Pure parsing, no programme: :mod:`maroc_eval.core.rows` checks the parsed values against it.
"""

from __future__ import annotations

import datetime as dt
import re

YES = {"oui", "o", "yes", "y", "vrai", "true", "1"}

NO = {"non", "n", "no", "faux", "false", "0"}

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")

_THOUSANDS = re.compile(r"(?<=\d)[ \u00a0\u202f'](?=\d{3}(?:\D|$))")

_YEAR = re.compile(r"(\d{4})(?:[.,]0+)?")


def parse_number(text: str) -> tuple[float, bool] | None:
    """Read ``12``, ``12,5``, ``1 234,5``, ``1.234,5``, ``45 %``; ``None`` if not a number.

    Returns
    -------
    tuple of (float, bool) or None
        The number and whether it was written with a ``%`` sign.
    """
    t = text.strip()
    percent = t.endswith("%")
    if percent:
        t = t[:-1].rstrip()
    t = _THOUSANDS.sub("", t)
    if "," in t and "." in t:
        t = (t.replace(".", "").replace(",", ".") if t.rfind(",") > t.rfind(".")
             else t.replace(",", ""))
    elif t.count(",") == 1:
        t = t.replace(",", ".")
    elif t.count(",") > 1 and re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+", t):
        t = t.replace(",", "")
    elif t.count(".") > 1 and re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", t):
        t = t.replace(".", "")
    if not _NUMBER.fullmatch(t):
        return None
    return float(t), percent


def text(value: object) -> str:
    """A cell as text: whole floats without ``.0``, dates as ISO days, others stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return str(value).strip()


def year_of(raw: object) -> int | None:
    """The year a cell holds (``2009``, ``2009,0``, ``2009.0``), ``None`` if it holds none."""
    if isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer():
        return int(raw)
    if isinstance(raw, str):
        match = _YEAR.fullmatch(raw.strip())
        if match:
            return int(match.group(1))
    return None


def looks_like_date(raw: object) -> bool:
    """Whether a cell holds a date rather than a year (``01/01/2009``, an Excel date)."""
    return isinstance(raw, dt.date) or (isinstance(raw, str) and bool(re.search(r"\d[/-]\d", raw)))
