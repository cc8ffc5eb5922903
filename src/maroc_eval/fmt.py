"""French formatting of numbers, percentages, years and statuses for notebooks and reports.

French typography: thousands grouped with a narrow no-break space (``1 234,5``), decimal comma,
a no-break space before ``%`` (``45 %``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from .status import band

NNBSP = "\u202f"  # narrow no-break space: thousands separator, before % and ; : ! ?
NBSP = "\u00a0"
MISSING = "—"


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value, decimals: int = 1, *, strip: bool = True) -> str:
    """Format a number the French way.

    Parameters
    ----------
    value : float or None
        The number; ``None`` or NaN give an em dash.
    decimals : int
        Digits after the comma.
    strip : bool
        Drop a trailing ``,0`` (``12,0`` → ``12``).

    Returns
    -------
    str
        e.g. ``1 234,5`` (with narrow no-break spaces).

    Examples
    --------
    >>> number(1234.5).replace("\\u202f", " ")
    '1 234,5'
    """
    if _is_missing(value):
        return MISSING
    text = f"{float(value):,.{decimals}f}"
    if strip and decimals and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", "-0.0"):
        text = "0"
    return text.replace(",", NNBSP).replace(".", ",")


def percent(value, decimals: int = 0, *, ratio: bool = False) -> str:
    """Format a percentage: ``45 %``; ``ratio=True`` reads 0.45 as 45 %."""
    if _is_missing(value):
        return MISSING
    return f"{number(float(value) * (100 if ratio else 1), decimals)}{NNBSP}%"


def achievement(value, edges: Sequence[float] = ()) -> str:
    """Format an achievement ratio (1.0 = 100 %) so that it never contradicts its status.

    Whole percents, unless rounding would carry the figure across one of the status thresholds
    ``edges`` (an index of 0,8966 printed « 90 % » beside « En retard » when « en bonne voie »
    starts at 90 %): then one or two decimals (« 89,7 % »), and, closer still, the figure is
    cut toward its own band (« 89,99 % »).

    Parameters
    ----------
    value : float or None
        The achievement ratio; ``None`` or NaN give an em dash.
    edges : sequence of float
        The status thresholds (:func:`maroc_eval.status.band`).

    Examples
    --------
    >>> achievement(0.8966, (1.0, 0.9, 0.4)).replace(NNBSP, " ")
    '89,7 %'
    """
    if _is_missing(value):
        return MISSING
    pct = float(value) * 100
    wanted = band(value, edges)
    for decimals in (0, 1, 2):
        if band(round(pct, decimals) / 100, edges) == wanted:
            return percent(pct, decimals)
    towards = math.ceil if band(pct / 100, edges) > band(round(pct, 2) / 100, edges) else math.floor
    return percent(towards(pct * 100) / 100, 2)


def value(value, measure: str, levels: dict | None = None, unit: str = "") -> str:
    """Format an indicator value according to its measure.

    Parameters
    ----------
    value : float or None
    measure : str
        ``nombre``, ``pourcentage``, ``oui_non`` or ``ordinal``.
    levels : dict, optional
        Labels of an ordinal scale.
    unit : str, optional
        Unit appended to numbers (not to percents, yes-no or ordinal values).
    """
    if _is_missing(value):
        return MISSING
    if measure == "pourcentage":
        return percent(value, 1)
    if measure == "oui_non":
        return "oui" if float(value) >= 0.5 else "non"
    if measure == "ordinal":
        level = round(float(value))
        label = (levels or {}).get(level)
        return f"{level} ({label})" if label else str(level)
    text = number(value, 1)
    return f"{text}{NBSP}{unit}" if unit else text


def signed(value, decimals: int = 1) -> str:
    """A change with its sign: ``+12,5`` / ``−3``."""
    if _is_missing(value):
        return MISSING
    text = number(abs(float(value)), decimals)
    return ("+" if float(value) >= 0 else "−") + text


def plain(x: float) -> str:
    """A number as typed in French messages, without grouping: ``0,45``, ``12``, ``1e+06``."""
    return f"{x:g}".replace(".", ",")


_BEFORE_COLON = re.compile(r" (:)")
_BEFORE_TALL = re.compile(r" ([;!?%])")


def typo(text: str) -> str:
    """French typography: no-break space before ``:``, narrow one before ``; ! ? %``."""
    return _BEFORE_TALL.sub(NNBSP + r"\1", _BEFORE_COLON.sub(NBSP + r"\1", text))


_WORDS = ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
          "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit",
          "dix-neuf", "vingt")


def count(n: int, noun: str, plural: str | None = None, *, feminine: bool = False) -> str:
    """A count in words up to twenty, in digits beyond: « six partenariats », « 60 partenariats ».

    Examples
    --------
    >>> count(6, "partenariat")
    'six partenariats'
    >>> count(1, "commune", feminine=True)
    'une commune'
    """
    words = "une" if n == 1 and feminine else (_WORDS[n] if 0 <= n <= 20 else number(n, 0))
    return f"{words} {noun if n == 1 else (plural or noun + 's')}"
