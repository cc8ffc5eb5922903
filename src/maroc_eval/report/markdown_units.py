"""The translatable units of a notebook's Markdown: each heading's text and each paragraph.

A notebook's prose is translated paragraph by paragraph rather than cell by cell: the report
keeps only part of some cells (an RI notebook's first two paragraphs, a synthesis section
without its heading: :mod:`maroc_eval.report.assemble`), and a paragraph edited in a notebook
invalidates its own translation only. The Babel extractor (:mod:`maroc_eval.report.extract`)
and the report's translation (:mod:`maroc_eval.report.preprocessors.translate`) cut a text the
same way, with :func:`segments`: the message of a heading is its text without its ``#`` marks
(its level may change in the report), that of a paragraph its lines as written, line breaks
included. Fenced code is never translated.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_ATX = re.compile(r"^( {0,3}#{1,6}[ \t]+)(.*?)([ \t]*#*[ \t]*)$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


def segments(source: str) -> list[tuple[str, bool]]:
    """Cut a Markdown text into ``(text, translatable)`` pieces that join back into it.

    Examples
    --------
    >>> text = "## Titre\\n\\nUn paragraphe\\nsur deux lignes.\\n"
    >>> segments(text)  # doctest: +NORMALIZE_WHITESPACE
    [('## ', False), ('Titre', True), ('\\n\\n', False),
     ('Un paragraphe\\nsur deux lignes.', True), ('\\n', False)]
    """
    pieces: list[tuple[str, bool]] = []
    paragraph: list[str] = []
    fence = None

    def flush() -> None:
        if paragraph:
            text = "".join(paragraph)
            body = text.rstrip("\n")
            pieces.append((body, bool(body.strip())))
            pieces.append((text[len(body):], False))
            paragraph.clear()

    for line in source.splitlines(keepends=True):
        bare = line.rstrip("\r\n")
        opening = _FENCE.match(bare)
        if fence or opening:
            flush()
            if fence is None:
                fence = opening.group(1)
            elif opening and opening.group(1) == fence:
                fence = None
            pieces.append((line, False))
            continue
        heading = _ATX.match(bare)
        if heading:
            flush()
            marks, text, closing = heading.groups()
            pieces += [(marks, False), (text, bool(text.strip())),
                       (closing + line[len(bare):], False)]
        elif not bare.strip():
            flush()
            pieces.append((line, False))
        else:
            paragraph.append(line)
    flush()
    merged: list[tuple[str, bool]] = []
    for text, translatable in pieces:  # adjacent untranslatable pieces joined: fewer, clearer
        if text and merged and not translatable and not merged[-1][1]:
            merged[-1] = (merged[-1][0] + text, False)
        elif text:
            merged.append((text, translatable))
    return merged


def messages(source: str) -> list[str]:
    """The messages of a Markdown text, in order (:func:`segments`)."""
    return [text for text, translatable in segments(source) if translatable]


def translate(source: str, gettext: Callable[[str], str]) -> str:
    """A Markdown text with each heading and paragraph replaced by ``gettext`` of it."""
    return "".join(gettext(text) if translatable else text
                   for text, translatable in segments(source))
