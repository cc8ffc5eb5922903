"""French typography of texts people typed (notebooks, judgements, comments, parameters) as a
report prints them: no-break spaces before ``: ; ! ? %``, thousands grouped, quotations and
timestamps for people. The formatting of figures is :mod:`maroc_eval.base.fmt`'s.

French only: in another language (:mod:`maroc_eval.base.i18n`) texts are left as typed, quotations
take English marks and timestamps English words.
"""

from __future__ import annotations

import datetime as dt
import re

from . import i18n
from .fmt import MISSING, NBSP, NNBSP, long_date, typo
from .i18n import _

_GROUPED = re.compile(r"(?<![\d,.\u202f])(\d{1,3})((?: \d{3})+)(?![\d,])")
_GLUED_TALL = re.compile(r"(?<=[^\s\u202f\u00a0])([;!?])(?=\s|$)")
_GLUED_COLON = re.compile(r"(?<=[^\s\d\u202f\u00a0:/]):(?=\s)")


_ENTITY_END = re.compile(r"&#?\w+$")
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])(?:'|&#x27;|&#39;)(?=[^\W\d_])"
                         r"|(?<=\b[cdjlmnstCDJLMNST])(?:'|&#x27;|&#39;)(?=[*_]|$)"
                         r"|(?<=\b[qQ]u)(?:'|&#x27;|&#39;)(?=[*_]|$)")
"""A straight apostrophe between two letters (also as HTML escapes it), or eliding a word
before emphasis or a tag (« l'**engagement** », « l'<strong> »): a typographic one."""
_OPENING, _CLOSING = re.compile(r"« +"), re.compile(r" +»")


def _spaced_unless_entity(match: re.Match) -> str:
    """A narrow no-break space before ``; ! ?``, but never inside an HTML entity (``&amp;``)."""
    if match.group(1) == ";" and _ENTITY_END.search(match.string, 0, match.start()):
        return match.group(1)
    return NNBSP + match.group(1)


def french(text: str) -> str:
    """French typography of a prose text: :func:`maroc_eval.base.fmt.typo`'s spaces before
    ``: ; ! ? %``, also where a text typed none (« suivi.csv; revue » → « suivi.csv ; revue »),
    and thousands
    grouped with narrow no-break spaces where a text typed them with plain spaces
    (``7 593`` → ``7 593``); no-break spaces inside « », and the typographic apostrophe
    (« l’équipe », never « l'équipe »). Idempotent. Unchanged in another language than French.
    """
    if i18n.language() != "fr":
        return text
    text = _APOSTROPHE.sub("’", text)
    text = _CLOSING.sub(NBSP + "»", _OPENING.sub("«" + NBSP, text))
    text = _GROUPED.sub(lambda m: m.group(1) + m.group(2).replace(" ", NNBSP), text)
    text = _GLUED_TALL.sub(_spaced_unless_entity, text)
    text = _GLUED_COLON.sub(NBSP + ":", text)
    return typo(text)


_TAG = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_VERBATIM = ("style", "script", "pre", "code", "svg")


def french_html(markup: str) -> str:
    """:func:`french` applied to the text of an HTML fragment, never to its tags, attributes,
    comments or to the content of ``style``, ``script``, ``pre``, ``code`` and ``svg``.
    Unchanged in another language than French."""
    if i18n.language() != "fr":
        return markup
    out, verbatim = [], 0
    for part in _TAG.split(markup):
        if part.startswith("<"):
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", part)
            if name and name.group(1).lower() in _VERBATIM and not part.endswith("/>"):
                verbatim += -1 if part.startswith("</") else 1
                verbatim = max(verbatim, 0)
            out.append(part)
        else:
            out.append(part if verbatim else french(part))
    return "".join(out)


def when(iso: str | None) -> str:
    """A timestamp for people: ``2026-11-29T22:51:38.050827+00:00`` → « 29/11/2026 à 22 h 51
    (UTC) » (English: « 29 November 2026 at 22:51 (UTC) »), without seconds or microseconds; the
    text itself when it is not a timestamp."""
    if not iso:
        return MISSING
    try:
        moment = dt.datetime.fromisoformat(str(iso).replace("Z", "+00:00"))
    except ValueError:
        return str(iso)
    if i18n.language() == "fr":
        text = moment.strftime(f"%d/%m/%Y à %H{NBSP}h{NBSP}%M")
    else:
        text = _("{day} à {time}").format(day=long_date(moment.date()),
                                          time=moment.strftime("%H:%M"))
    offset = moment.utcoffset()
    if offset is None:
        return text
    if not offset:
        return f"{text} (UTC)"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"{text} (UTC{sign}{hours}{f':{rest:02d}' if rest else ''})"


def quote(text: str) -> str:
    """French quotation marks with narrow no-break spaces: « … » (English: “…”)."""
    if i18n.language() != "fr":
        return f"“{str(text).strip()}”"
    return f"«{NNBSP}{str(text).strip()}{NNBSP}»"


def quoted_comments(comments) -> list[tuple[str, str, str]]:
    """Comments as ``(indicator, year, « text »)``, one per indicator and year: a comment
    repeated on each row of a disaggregated value (sex, partner type) is quoted once, distinct
    comments of the same value are joined.

    Parameters
    ----------
    comments : iterable
        Objects with ``indicator``, ``year`` and ``text`` (sidecar comments), or such tuples.
    """
    grouped: dict[tuple[str, str], list[str]] = {}
    for c in comments:
        indicator, year, text = ((c.indicator, c.year, c.text) if hasattr(c, "text") else c)
        texts = grouped.setdefault((str(indicator), str(year)), [])
        clean = " ".join(str(text).split())
        if clean and clean not in texts:
            texts.append(clean)
    separator = f"{NNBSP}; " if i18n.language() == "fr" else "; "
    return [(indicator, year, separator.join(quote(t) for t in texts))
            for (indicator, year), texts in grouped.items() if texts]
