"""Shift heading levels of joined notebooks and give every heading a stable French anchor.

A notebook's ``# RI 3 — …`` becomes a level-2 heading of the report, its ``##`` a level 3, and
so on. Each Markdown heading is rewritten as an HTML heading with an ``id`` made from its text
(accents dropped: ``Qualité des données`` → ``qualite-des-donnees``), prefixed per joined
notebook (``ri3-qualite-des-donnees``) and made unique in the document, so links to it survive
every rebuild.
"""

from __future__ import annotations

import html
import re
import unicodedata

from nbconvert.filters.markdown_mistune import markdown2html_mistune
from nbconvert.preprocessors import Preprocessor
from traitlets import Int, Unicode

_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_TAGS = re.compile(r"<[^>]+>")


def slugify(text: str) -> str:
    """A lowercase ASCII anchor from French text.

    Examples
    --------
    >>> slugify("Appréciation selon les critères du CAD")
    'appreciation-selon-les-criteres-du-cad'
    >>> slugify("RI 1 — Le Service d'Action sociale")
    'ri-1-le-service-d-action-sociale'
    """
    text = html.unescape(_TAGS.sub("", text)).lower().replace("œ", "oe").replace("æ", "ae")
    text = text.replace("’", "'")  # « d’action » and « d'action »: one anchor
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def inline_html(text: str) -> str:
    """Render the Markdown of a heading's text as inline HTML (no surrounding paragraph)."""
    rendered = markdown2html_mistune(text).strip()
    match = re.fullmatch(r"<p>(.*)</p>", rendered, re.DOTALL)
    return match.group(1) if match else html.escape(text, quote=False)


class HeadingsPreprocessor(Preprocessor):
    """Rewrite Markdown headings as shifted HTML headings with unique, stable ids.

    A cell's ``metadata.maroc_eval_rapport`` may hold ``shift`` (levels added, may be negative)
    and ``prefix`` (anchor prefix); otherwise :attr:`shift` applies and no prefix.
    """

    shift = Int(0, help="Levels added to every heading (1: '#' becomes <h2>).").tag(config=True)
    metadata_key = Unicode(
        "maroc_eval_rapport", help="Cell metadata key holding a per-cell 'shift' and 'prefix'.",
    ).tag(config=True)

    def preprocess(self, nb, resources):
        """Rewrite the headings of every Markdown cell, anchors unique across the notebook."""
        self._seen: set[str] = set()
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                options = cell.get("metadata", {}).get(self.metadata_key, {})
                cell.source = self.rewrite(cell.source, int(options.get("shift", self.shift)),
                                           options.get("prefix", ""))
        return nb, resources

    def _unique(self, slug: str) -> str:
        candidate, n = slug, 2
        while candidate in self._seen:
            candidate, n = f"{slug}-{n}", n + 1
        self._seen.add(candidate)
        return candidate

    def rewrite(self, source: str, shift: int, prefix: str) -> str:
        """Rewrite the ATX headings of one Markdown text (fenced code left alone)."""
        if not hasattr(self, "_seen"):
            self._seen = set()
        out, fence = [], None
        for line in source.splitlines():
            opening = _FENCE.match(line)
            if fence:
                fence = None if opening and opening.group(1) == fence else fence
                out.append(line)
                continue
            if opening:
                fence = opening.group(1)
                out.append(line)
                continue
            match = _ATX.match(line)
            if not match:
                out.append(line)
                continue
            level = min(6, max(1, len(match.group(1)) + shift))
            text = match.group(2)
            anchor = self._unique("-".join(filter(None, (prefix, slugify(text)))))
            out += ["", f'<h{level} id="{anchor}">{inline_html(text)}</h{level}>', ""]
        return "\n".join(out).strip("\n")
