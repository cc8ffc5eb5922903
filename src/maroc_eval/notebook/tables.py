"""HTML tables and text blocks for notebooks and reports, escaped by construction.

The markup is in ``templates/fragments/blocks.html.j2``; these helpers pass it data through
:func:`maroc_eval.base.markup.render`, which escapes every text that may come from data or
judgements: a ``<script>`` typed in a comment shows as text in a notebook and in the HTML report.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from markupsafe import Markup

from ..base import fmt
from ..base.i18n import _
from ..base.markup import Cell, Html, render
from . import style

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Cell", "Html", "bullets", "concat", "esc", "evidence", "heading", "indicator_table",
           "key_values", "notice", "paragraphs", "status_cell", "table", "team", "to_complete"]

BLOCKS = "fragments/blocks.html.j2"


def esc(text) -> str:
    """Escape any value for HTML (``None`` → empty)."""
    return "" if text is None else html.escape(str(text), quote=True)


def table(header: Sequence, rows: Iterable[Sequence], *, caption: str | None = None,
          cls: str = "me-table") -> Html:
    """An HTML table whose every cell is escaped.

    Parameters
    ----------
    header : sequence
        Column titles.
    rows : iterable of sequences
        Cell values (str, numbers or :class:`Cell`).
    caption : str, optional
        Table caption.
    cls : str
        CSS class of the table.
    """
    return render(BLOCKS, "table", header=header, rows=rows, caption=caption, cls=cls)


def status_cell(status: str, text: str | None = None) -> Cell:
    """A cell coloured by status, with the French label as text (readable in grey print)."""
    return Cell(text or style.status_label(status),
                css=f"background:{style.status_colour(status)};color:#000;font-weight:600",
                cls=f"statut statut-{status}")


DIRECTION_ARROWS = {"hausse": "↑", "baisse": "↓"}


def indicator_table(rows: pd.DataFrame, programme, phase: str, *,
                    caption: str | None = None, edges: tuple = ()) -> Html:
    """The logframe table of one pair: baseline, phase target, value, achievement, status.

    Parameters
    ----------
    rows : DataFrame
        Output of :func:`maroc_eval.core.indicators.indicator_rows` (possibly filtered to one RI).
    programme : Programme
    phase : str
        Phase code, for the column titles.
    edges : tuple of float
        The status thresholds the rows were judged with: each achievement is printed in its
        status's band (:func:`maroc_eval.base.fmt.achievement`).
    """
    year = programme.phases[phase].year
    header = [_("Code"), _("Indicateur"), _("Sens"),
              _("Base {year}").format(year=programme.baseline_year),
              _("Cible {year}").format(year=year), _("Valeur {year}").format(year=year),
              _("Réalisation"), _("Statut")]
    body = []
    for r in rows.itertuples(index=False):
        ind = programme.indicator_map[r.code]
        body.append([
            r.code, f"{r.label} ({r.unit})", DIRECTION_ARROWS[r.direction],
            fmt.value(r.baseline, ind.measure, ind.levels),
            fmt.target(r.target, ind.measure, ind.levels),
            fmt.value(r.actual, ind.measure, ind.levels),
            fmt.achievement(r.achievement_raw, edges),
            status_cell(r.status),
        ])
    return table(header, body, caption=caption)


def paragraphs(*texts: str, cls: str = "me-text") -> Html:
    """Escaped paragraphs (empty texts left out)."""
    return render(BLOCKS, "paragraphs", texts=texts, cls=cls)


def bullets(items: Iterable[str], *, title: str | None = None, empty: str | None = None) -> Html:
    """An escaped bullet list with an optional bold title (``empty`` when no item is left;
    default « Aucun. »)."""
    return render(BLOCKS, "bullets", items=items, title=title,
                  empty=_("Aucun.") if empty is None else empty)


def sourced(items: Iterable[tuple[str, str]], *, title: str | None = None) -> Html:
    """Texts each under the name of its source (a definition list, escaped), with an
    optional bold title: the team's findings keep their own first capital."""
    return render(BLOCKS, "sourced", items=list(items), title=title)


def notice(text: str, kind: str = "info") -> Html:
    """A boxed notice (``info``, ``attention``, ``indisponible``)."""
    return render(BLOCKS, "notice", text=text, kind=kind)


def heading(text: str, level: int = 3) -> Html:
    """An escaped heading (for dynamic titles that a markdown cell cannot hold)."""
    return render(BLOCKS, "heading", text=text, level=int(level))


def key_values(pairs: Iterable[tuple[str, str]], *, cls: str = "me-kv") -> Html:
    """A two-column definition table (label, value), escaped."""
    return render(BLOCKS, "key_values", pairs=pairs, cls=cls)


def concat(*parts: Html) -> Html:
    """Join several trusted fragments into one display."""
    return Html("".join(str(p) for p in parts))


def team(title: str, *parts: Html) -> Html:
    """The evaluation team's own text, in a box titled ``title`` (their judgement)."""
    return render(BLOCKS, "team", title=title, content=_trusted(*parts))


def evidence(title: str, *parts: Html) -> Html:
    """What the toolkit computed (figures, verifications, proposals), in a box of its own,
    visibly apart from the team's judgement."""
    return render(BLOCKS, "evidence", title=title, content=_trusted(*parts))


def to_complete(what: str | None = None) -> Html:
    """« À compléter par l'équipe d'évaluation » — at the place the team has not written."""
    return render(BLOCKS, "to_complete", what=what)


def _trusted(*parts: Html) -> Markup:
    """Fragments already rendered from templates, passed into another macro as markup."""
    return Markup(str(concat(*parts)))
