"""Join executed notebooks into one report notebook (nbformat), around generated sections.

nbconvert exports one notebook at a time: a report is therefore first assembled here — cover,
executive summary, context and method, the findings of each RI notebook, the pair synthesis'
sections, annexes — then exported once with the ``rapport`` template. Joined cells carry
``metadata.maroc_eval_rapport`` (heading shift and anchor prefix) for
:class:`~maroc_eval.report.preprocessors.HeadingsPreprocessor`.
"""

from __future__ import annotations

import copy
import re

import nbformat

from ..base import i18n
from ..base.typography import french, french_html
from .preprocessors import REPORT_METADATA

NEW_PAGE = "rapport-nouvelle-page"
COVER = "rapport-couverture"
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]")
_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.S)


def html_cell(markup: str, *tags: str) -> nbformat.NotebookNode:
    """A code cell without source whose only output is trusted (already escaped) HTML."""
    cell = nbformat.v4.new_code_cell(source="", metadata={"tags": ["remove-input", *tags]})
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": markup})]
    return cell


def heading_cell(level: int, text: str, *tags: str, prefix: str = "") -> nbformat.NotebookNode:
    """A Markdown heading written by the toolkit (a catalogue text, never user data)."""
    cell = nbformat.v4.new_markdown_cell(f"{'#' * level} {text}", metadata={"tags": list(tags)})
    cell.metadata[REPORT_METADATA] = {"shift": 0, "prefix": prefix}
    return cell


def first_heading_level(cell) -> int | None:
    """Level of the first ATX heading of a Markdown cell, if any."""
    if cell.cell_type != "markdown":
        return None
    for line in cell.source.splitlines():
        match = _HEADING.match(line)
        if match:
            return len(match.group(1))
    return None


def _adopt(cell, shift: int, prefix: str):
    cell = copy.deepcopy(cell)
    cell.metadata[REPORT_METADATA] = {"shift": shift, "prefix": prefix}
    cell.metadata.pop("papermill", None)
    cell.metadata.pop("execution", None)
    return cell


RI_SECTION_ORDER = ("Indicateurs du cadre logique", "Évolution des indicateurs", None,
                    "Ventilations", "Position parmi les partenariats", "Qualité des données",
                    "Appréciation de l'équipe d'évaluation")
"""The order of an RI chapter's sections in a report, by their French (source) titles: the
sections every RI has, and in the place of ``None`` the sections proper to one RI (in their
notebook's order). Every RI chapter reads in the same order."""


def _section_rank(cell) -> int:
    """The place of a section in :data:`RI_SECTION_ORDER`, from its heading cell."""
    title = cell.source.strip().splitlines()[0].lstrip("#").strip().replace("’", "'")
    known = [t for t in RI_SECTION_ORDER if t is not None]
    return RI_SECTION_ORDER.index(title) if title in known else RI_SECTION_ORDER.index(None)


def in_section_order(cells: list) -> list:
    """The cells of an RI notebook with its level-2 sections in :data:`RI_SECTION_ORDER`
    (a section: its heading cell and the cells up to the next one; what comes before the
    first section stays first; the sort is stable)."""
    head: list = []
    groups: list[list] = []
    for cell in cells:
        if first_heading_level(cell) == 2:
            groups.append([cell])
        elif groups:
            groups[-1].append(cell)
        else:
            head.append(cell)
    groups.sort(key=lambda group: _section_rank(group[0]))
    return head + [cell for group in groups for cell in group]


def ri_cells(nb, prefix: str) -> list:
    """An RI notebook's cells for the findings chapter, its sections in the report's order.

    Its ``#`` heading becomes a level-2 heading; its introduction keeps the heading and the
    first paragraph, written for the report's reader (« Ce chapitre examine… »); the next ones
    address notebook users (parameters, *Run All*) and are left out. The sections follow
    :data:`RI_SECTION_ORDER`.
    """
    cells = [_adopt(c, 1, prefix) for c in in_section_order(list(nb.cells))]
    for cell in cells:
        if cell.cell_type == "markdown":
            blocks = re.split(r"\n\s*\n", cell.source.strip())
            cell.source = "\n\n".join(blocks[:2])
            cell.metadata.setdefault("tags", []).append(NEW_PAGE)
            break
    return cells


def without_repeated_explanations(cells: list) -> list:
    """The cells with each markdown explanation said once: a heading whose explanation repeats
    one already given (the same table or chart explained in every RI chapter) keeps its
    heading only. The report explains a kind of table once; a notebook, read alone, keeps all."""
    seen: set[str] = set()
    for cell in cells:
        if cell.cell_type != "markdown" or first_heading_level(cell) is None:
            continue
        head, _sep, rest = cell.source.strip().partition("\n")
        rest = rest.strip()
        if not rest:
            continue
        if rest in seen:
            cell.source = head
        else:
            seen.add(rest)
    return cells


def section_cells(nb, section: str, shift: int, prefix: str = "synthese", *,
                  skip_heading: bool = False) -> list:
    """The cells of a synthesis tagged ``section:<section>``, without its level-1 introduction.

    With ``skip_heading``, the section's own heading is dropped (the report gives it its own
    title) and its explanation, if any, kept.
    """
    tag = f"section:{section}"
    cells = [_adopt(c, shift, prefix) for c in nb.cells
             if tag in c.get("metadata", {}).get("tags", []) and first_heading_level(c) != 1]
    if skip_heading and cells and first_heading_level(cells[0]) is not None:
        lines = cells[0].source.splitlines()
        rest = "\n".join(lines[1:]).strip()
        if rest:
            cells[0].source = rest
        else:
            cells = cells[1:]
    return cells


_HTML_HEADING = re.compile(r"<(/?)h([1-6])\b")


def shift_output_headings(cells: list, shift: int) -> list:
    """The cells with the headings of their HTML outputs moved ``shift`` levels (the answers to
    the evaluation questions, level 3 under their notebook's level-2 section, become level 2
    under the report's chapter: no level skipped)."""
    def move(match: re.Match) -> str:
        return f"<{match.group(1)}h{min(6, max(1, int(match.group(2)) + shift))}"

    for cell in cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                markup = data["text/html"]
                markup = "".join(markup) if isinstance(markup, list) else markup
                data["text/html"] = _HTML_HEADING.sub(move, markup)
    return cells


def untitled_cells(nb, shift: int, prefix: str) -> list:
    """All cells of a notebook but its level-1 introduction."""
    return [_adopt(c, shift, prefix) for c in nb.cells if first_heading_level(c) != 1]


def mark_new_page(cells: list) -> list:
    """Tag the first cell of a chapter so that it starts a new printed page."""
    if cells:
        cells[0].metadata.setdefault("tags", []).append(NEW_PAGE)
    return cells


def french_markdown(source: str) -> str:
    """:func:`maroc_eval.base.typography.french` on a Markdown text, code left verbatim."""
    return "".join(part if part.startswith("`") else french(part)
                   for part in _CODE.split(source))


def french_cell(cell) -> None:
    """French typography on a cell's prose in place: Markdown source, HTML and text outputs
    (notebooks, judgements and monitoring comments are typed with plain spaces before ``:``,
    ``;`` or ``%``; the report prints them as French typography wants)."""
    if cell.cell_type == "markdown":
        cell.source = french_markdown(cell.source)
        return
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if "text/html" in data:
            html = data["text/html"]
            html = "".join(html) if isinstance(html, list) else html
            data["text/html"] = french_html(html)


def new_report(title: str, cells: list) -> nbformat.NotebookNode:
    """The report notebook: cells renumbered with unique ids, French typography on their
    prose in a French report (:func:`french_cell`; the prose of a report in another language is
    translated later, from the notebooks' own text: :mod:`.preprocessors.translate`), title in
    the metadata."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"title": title, "language_info": {"name": "python"}}
    french = i18n.language() == i18n.DEFAULT
    for i, cell in enumerate(cells):
        cell["id"] = f"rapport-{i:04d}"
        if cell.cell_type == "code":
            cell.execution_count = None
            for output in cell.outputs:
                if "execution_count" in output:
                    output.execution_count = None
        if french:
            french_cell(cell)
    nb.cells = cells
    return nb
