"""Insert a table of contents built from the report's HTML headings (with their anchors)."""

from __future__ import annotations

import html
import re

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Int, Unicode

from ...base.i18n import N_, _

_HEADING = re.compile(r'<h([1-6]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")


def collect_headings(nb) -> list[tuple[int, str, str]]:
    """``(level, id, text)`` of every anchored HTML heading of the Markdown cells, in order."""
    found = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for level, anchor, inner in _HEADING.findall(cell.source):
                text = html.unescape(_TAGS.sub("", inner)).strip()
                found.append((int(level), anchor, text))
    return found


def toc_html(headings: list[tuple[int, str, str]], title: str) -> str:
    """A nested ordered list of links to the headings."""
    parts = [f'<nav class="rapport-sommaire" aria-label="{html.escape(title)}">',
             f'<p class="rapport-sommaire-titre">{html.escape(title)}</p>']
    top = min((h[0] for h in headings), default=1)
    depth = 0
    for level, anchor, text in headings:
        target = max(1, level - top + 1)
        if target > depth:
            parts += ["<ol>"] * (target - depth)
        else:
            parts += ["</li></ol>"] * (depth - target) + ["</li>"]
        depth = target
        parts.append(f'<li><a href="#{html.escape(anchor)}">{html.escape(text)}</a>')
    parts += ["</li></ol>"] * depth
    parts.append("</nav>")
    return "".join(parts)


class TocPreprocessor(Preprocessor):
    """Add a cell showing the table of contents, after the cover when there is one."""

    max_level = Int(2, help="Deepest heading level listed in the table of contents.").tag(
        config=True)
    title = Unicode(N_("Sommaire"), help="Title shown above the table of contents "
                    "(translated into the report's language).").tag(config=True)
    after_tag = Unicode(
        "rapport-couverture", help="The table of contents goes after the last cell with this tag "
        "(at the top when no cell has it).").tag(config=True)

    def preprocess(self, nb, resources):
        """Insert the table of contents cell; nothing when the notebook has no headings."""
        headings = [h for h in collect_headings(nb) if h[0] <= self.max_level]
        if not headings:
            return nb, resources
        cell = nbformat.v4.new_code_cell(source="", metadata={"tags": ["rapport-sommaire"]})
        cell.id = "rapport-sommaire"  # not random: same inputs, byte-identical report
        cell.outputs = [nbformat.v4.new_output(
            "display_data", data={"text/html": toc_html(headings, _(self.title))})]
        position = 0
        for i, other in enumerate(nb.cells):
            if self.after_tag in other.get("metadata", {}).get("tags", []):
                position = i + 1
        nb.cells.insert(position, cell)
        return nb, resources
