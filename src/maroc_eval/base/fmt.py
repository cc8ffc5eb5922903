"""Formatting of numbers, percentages, dates and counts for notebooks and reports, in the
current language (:mod:`maroc_eval.base.i18n`).

French typography: thousands grouped with a narrow no-break space (``1 234,5``), decimal comma,
a narrow no-break space before ``%`` (``45 %``). Other languages are formatted by Babel from the
same rounded digits (English: ``1,234.5``, ``45%``, « 29 November 2026 »). French keeps its own
code: Babel's French percent puts a (wide) no-break space before ``%``, not the narrow one these
documents have always used.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from decimal import Decimal

from . import i18n
from .i18n import _
from .status import band

NNBSP = "\u202f"  # narrow no-break space: thousands separator, before % and ; : ! ?
NBSP = "\u00a0"
MISSING = "—"


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _french() -> bool:
    return i18n.language() == "fr"


def _pattern(decimals: int, strip: bool) -> str:
    """A Babel number pattern: grouped, ``decimals`` digits (optional when ``strip``)."""
    if not decimals:
        return "#,##0"
    return "#,##0." + ("#" if strip else "0") * decimals


def _babel_number(digits: str, decimals: int, strip: bool) -> str:
    """Rounded digits (``-1234.50``, as Python wrote them) in the current language's format."""
    from babel.numbers import format_decimal

    return format_decimal(Decimal(digits), format=_pattern(decimals, strip),
                          locale=i18n.language())


def number(value, decimals: int = 1, *, strip: bool = True) -> str:
    """Format a number in the current language (French: ``1 234,5``; English: ``1,234.5``).

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
    if not _french():
        return _babel_number(text.replace(",", ""), decimals, strip)
    return text.replace(",", NNBSP).replace(".", ",")


def percent(value, decimals: int = 0, *, ratio: bool = False) -> str:
    """Format a percentage: ``45 %`` (English ``45%``); ``ratio=True`` reads 0.45 as 45 %."""
    if _is_missing(value):
        return MISSING
    pct = float(value) * (100 if ratio else 1)
    if _french():
        return f"{number(pct, decimals)}{NNBSP}%"
    from babel.numbers import format_percent

    digits = f"{pct:.{decimals}f}"
    if decimals and "." in digits:
        digits = digits.rstrip("0").rstrip(".")
    if digits in ("-0", "-0.0"):
        digits = "0"
    return format_percent(Decimal(digits) / 100, format=_pattern(decimals, True) + "%",
                          locale=i18n.language())


def long_date(day: dt.date | dt.datetime | str | None) -> str:
    """A date written out: « 29 novembre 2026 », « 29 November 2026 » (Babel).

    Parameters
    ----------
    day : date, datetime or ISO string
        ``None`` gives an em dash; a text that is not an ISO date is returned as it is.
    """
    if day is None or day == "":
        return MISSING
    if isinstance(day, str):
        try:
            day = dt.date.fromisoformat(day[:10])
        except ValueError:
            return day
    from babel.dates import format_date

    return format_date(day, "d MMMM y", locale=i18n.language())


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
        The status thresholds (:func:`maroc_eval.base.status.band`).

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
        return _("oui") if float(value) >= 0.5 else _("non")
    if measure == "ordinal":
        level = round(float(value))
        label = (levels or {}).get(level)
        return f"{level} ({label})" if label else str(level)
    text = number(value, 1)
    return f"{text}{NBSP}{agreed(unit, value)}" if unit else text


TARGET_WHOLE_FROM = 100
"""A target of a number measure this large or larger is shown whole: a relative target (+15 %)
computes « 6 632,6 bénéficiaires/an », whose decimal means nothing."""


def target(figure, measure: str, levels: dict | None = None, unit: str = "") -> str:
    """Format a target as :func:`value` does, without meaningless decimals: a number target of
    :data:`TARGET_WHOLE_FROM` or more is rounded to the unit (« 6 633 », « 771 »).

    Examples
    --------
    >>> target(6632.6, "nombre").replace(NNBSP, " ")
    '6 633'
    >>> target(97.2, "nombre")
    '97,2'
    """
    if not _is_missing(figure) and measure == "nombre" and abs(float(figure)) >= TARGET_WHOLE_FROM:
        text = number(figure, 0)
        return f"{text}{NBSP}{agreed(unit, figure)}" if unit else text
    return value(figure, measure, levels, unit)


def agreed(unit: str, value) -> str:
    """A plural unit agreed with its number: under two, « évaluations » → « évaluation »,
    « actions/an » → « action/an », « mises à jour/an » → « mise à jour/an »; symbols and
    invariable units (kMAD, ETP, %) unchanged."""
    if _is_missing(value) or abs(float(value)) >= 2:
        return unit
    word = re.match(r"[^\s/]+", unit)
    if not word or not word.group(0).isalpha() or not word.group(0).islower():
        return unit
    first = word.group(0)
    return (first[:-1] + unit[len(first):]) if first.endswith("s") and len(first) > 2 else unit


def signed(value, decimals: int = 1) -> str:
    """A change with its sign: ``+12,5`` / ``−3``."""
    if _is_missing(value):
        return MISSING
    text = number(abs(float(value)), decimals)
    return ("+" if float(value) >= 0 else "−") + text


def plain(x: float) -> str:
    """A number as typed in messages, without grouping: ``0,45`` (English ``0.45``), ``12``,
    ``1e+06``."""
    return f"{x:g}".replace(".", ",") if _french() else f"{x:g}"


_BEFORE_COLON = re.compile(r" (:)")
_BEFORE_TALL = re.compile(r" ([;!?%])")


def typo(text: str) -> str:
    """French typography: no-break space before ``:``, narrow one before ``; ! ? %``.

    In another language the text is returned unchanged.
    """
    if not _french():
        return text
    return _BEFORE_TALL.sub(NNBSP + r"\1", _BEFORE_COLON.sub(NBSP + r"\1", text))


_WORDS = ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
          "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit",
          "dix-neuf", "vingt")
_ENGLISH_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                  "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
                  "seventeen", "eighteen", "nineteen", "twenty")


def count(n: int, noun: str, plural: str | None = None, *, feminine: bool = False) -> str:
    """A count in words up to twenty, in digits beyond: « six partenariats », « 60 partenariats ».

    Examples
    --------
    >>> count(6, "partenariat")
    'six partenariats'
    >>> count(1, "commune", feminine=True)
    'une commune'

    In English the words are English (« six pairs ») and ``feminine`` is ignored; ``noun`` and
    ``plural`` are given in the current language by the caller.
    """
    table = _WORDS if _french() else _ENGLISH_WORDS
    if n == 1 and feminine and _french():
        words = "une"
    else:
        words = table[n] if 0 <= n <= 20 else number(n, 0)
    return f"{words} {noun if n == 1 else (plural or noun + 's')}"


def signed_percent(value, decimals: int = 0, *, ratio: bool = False) -> str:
    """A change in percent with its sign: ``+55 %``, ``−3 %``, ``0 %``.

    Examples
    --------
    >>> signed_percent(0.546, ratio=True).replace(NNBSP, " ")
    '+55 %'
    """
    if _is_missing(value):
        return MISSING
    pct = float(value) * (100 if ratio else 1)
    text = percent(abs(pct), decimals)
    if text.startswith("0" + NNBSP) or text in ("0", "0%"):
        return text
    return ("+" if pct > 0 else "−") + text


# -- prose --------------------------------------------------------------------------------------
SMALL_BASE = 10
"""A share computed on fewer people (or items) than this is shown as a count, « indicatif »."""


def share(part, whole, noun: str = "", plural: str | None = None) -> str:
    """A share of a count, with caution on small numbers.

    On ``whole`` of :data:`SMALL_BASE` or more, the percentage (``46 %``); below, the counts
    and the word « indicatif » (« 1 agent sur 3 (indicatif) »), since a percentage of three
    people says little.

    Parameters
    ----------
    part, whole : float or None
        The counted part and the total it is a share of.
    noun : str
        The singular noun of what is counted (« agent »), agreed with ``part``; none: « 1 sur 3 ».
    plural : str, optional
        Its plural, when not ``noun + "s"``.

    Examples
    --------
    >>> share(1, 3, "agent")
    '1 agent sur 3 (indicatif)'
    >>> share(6, 13, "agent").replace(NNBSP, " ")
    '46 %'
    """
    if _is_missing(part) or _is_missing(whole) or float(whole) <= 0:
        return MISSING
    if float(whole) >= SMALL_BASE:
        return percent(float(part) / float(whole), 0, ratio=True)
    counted = number(part, 0)
    if noun:
        counted += " " + (noun if abs(float(part)) < 2 else (plural or noun + "s"))
    return _("{counted} sur {whole} (indicatif)").format(counted=counted,
                                                         whole=number(whole, 0))


_VOWELS = "aeiouàâäéèêëîïôöùûüœæ"


def _elides(word: str, h_muet: bool) -> bool:
    low = word.lower()
    if not low:
        return False
    if low[0] in _VOWELS:
        return True
    if low[0] == "y":  # Yverdon (y then consonant) elides, Yaoundé does not
        return len(low) > 1 and low[1] not in _VOWELS
    return low[0] == "h" and h_muet


def de_nom(name: str, *, h_muet: bool = False) -> str:
    """« de » before a name, as French writes it: elided, contracted with the name's article.

    Parameters
    ----------
    name : str
        A commune, a partnership, a place (« Auderghem », « Le Caire », « Les Mureaux »).
    h_muet : bool
        The name starts with a silent h (« d’Hérouville ») : most place names in H start with
        an aspirated one (« de Hal », « du Hainaut »), hence the default.

    Examples
    --------
    >>> de_nom("Auderghem"), de_nom("Schaerbeek"), de_nom("Le Caire"), de_nom("La Haye")
    ('d’Auderghem', 'de Schaerbeek', 'du Caire', 'de La Haye')

    In English: « of » and the name (« of Auderghem »).
    """
    name = name.strip()
    if not _french():
        return "of " + name
    head, _space, rest = name.partition(" ")
    if head == "Le" and rest:
        return "du " + rest
    if head == "Les" and rest:
        return "des " + rest
    if head == "La" or name[:2] in ("L’", "L'"):
        return "de " + name
    return ("d’" if _elides(name, h_muet) else "de ") + name


def after_colon(text: str, proper_nouns=()) -> str:
    """A text that follows a colon in prose: its first letter in lower case (« Vision : les
    communes… »), unless it opens a quotation, a number, an acronym or code (INDH, RI7.1), or a
    name listed in ``proper_nouns``.

    Examples
    --------
    >>> after_colon("Dans les 5 ans, …"), after_colon("INDH et DAS")
    ('dans les 5 ans, …', 'INDH et DAS')
    >>> after_colon("Jette", {"Jette"})
    'Jette'

    In English the text is returned unchanged (English keeps its capital after a colon).
    """
    if not _french():
        return text
    text = text.lstrip()
    word = re.match(r"[^\s,.;:!?()’']*", text).group(0)
    if (len(word) < 2 or not word[0].isupper() or not word[1:].islower()
            or word in set(proper_nouns)):
        return text
    return text[0].lower() + text[1:]
