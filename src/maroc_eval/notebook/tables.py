"""HTML tables and text blocks for notebooks and reports, escaped by construction.

Every text that may come from data or judgements goes through :func:`html.escape` here, so a
``<script>`` typed in a comment shows as text in a notebook and in the HTML report.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import fmt
from . import style

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Cell:
    """A table cell: its text (escaped on output), an optional CSS style and class."""

    text: str
    css: str = ""
    cls: str = ""


class Html:
    """Trusted HTML built by this module; displays in notebooks through ``_repr_html_``."""

    def __init__(self, markup: str):
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __str__(self) -> str:
        return self.markup


def esc(text) -> str:
    """Escape any value for HTML (``None`` → empty)."""
    return "" if text is None else html.escape(str(text), quote=True)


def _cell(value, tag: str) -> str:
    if isinstance(value, Cell):
        attrs = (f' style="{esc(value.css)}"' if value.css else "") + (
            f' class="{esc(value.cls)}"' if value.cls else "")
        return f"<{tag}{attrs}>{esc(value.text)}</{tag}>"
    return f"<{tag}>{esc(value)}</{tag}>"


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
    head = "".join(_cell(h, "th") for h in header)
    body = "".join("<tr>" + "".join(_cell(v, "td") for v in row) + "</tr>" for row in rows)
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return Html(f'<table class="{esc(cls)}">{cap}<thead><tr>{head}</tr></thead>'
                f"<tbody>{body}</tbody></table>")


def status_cell(status: str, text: str | None = None) -> Cell:
    """A cell coloured by status, with the French label as text (readable in grey print)."""
    return Cell(text or style.status_label(status),
                css=f"background:{style.status_colour(status)};color:#000;font-weight:600",
                cls=f"statut statut-{status}")


DIRECTION_ARROWS = {"hausse": "↑", "baisse": "↓"}


def indicator_table(rows: pd.DataFrame, programme, phase: str, *, caption: str | None = None) -> Html:
    """The logframe table of one pair: baseline, phase target, value, achievement, status.

    Parameters
    ----------
    rows : DataFrame
        Output of :func:`maroc_eval.core.indicators.indicator_rows` (possibly filtered to one RI).
    programme : Programme
    phase : str
        Phase code, for the column titles.
    """
    year = programme.phases[phase].year
    header = ["Code", "Indicateur", "Sens", f"Base {programme.baseline_year}",
              f"Cible {year}", f"Valeur {year}", "Réalisation", "Statut"]
    body = []
    for r in rows.itertuples(index=False):
        ind = programme.indicator_map[r.code]
        body.append([
            r.code, f"{r.label} ({r.unit})", DIRECTION_ARROWS[r.direction],
            fmt.value(r.baseline, ind.measure, ind.levels),
            fmt.value(r.target, ind.measure, ind.levels),
            fmt.value(r.actual, ind.measure, ind.levels),
            fmt.achievement(r.achievement_raw),
            status_cell(r.status),
        ])
    return table(header, body, caption=caption)


def paragraphs(*texts: str, cls: str = "me-text") -> Html:
    """Escaped paragraphs."""
    return Html("".join(f'<p class="{esc(cls)}">{esc(t)}</p>' for t in texts if t))


def bullets(items: Iterable[str], *, title: str | None = None, empty: str = "Aucun.") -> Html:
    """An escaped bullet list with an optional bold title."""
    items = [i for i in items if i]
    head = f"<p><strong>{esc(title)}</strong></p>" if title else ""
    if not items:
        return Html(f"{head}<p><em>{esc(empty)}</em></p>")
    return Html(head + "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>")


def notice(text: str, kind: str = "info") -> Html:
    """A boxed notice (``info``, ``attention``, ``indisponible``)."""
    colours = {"info": "#e8f1fa", "attention": "#fdf1dc", "indisponible": "#eeeeee"}
    return Html(f'<div class="me-notice me-{esc(kind)}" style="background:{colours.get(kind, "#eee")};'
                f'padding:.5em .8em;border-left:4px solid #555;margin:.5em 0">{esc(text)}</div>')


def heading(text: str, level: int = 3) -> Html:
    """An escaped heading (for dynamic titles that a markdown cell cannot hold)."""
    return Html(f"<h{level}>{esc(text)}</h{level}>")


def key_values(pairs: Iterable[tuple[str, str]], *, cls: str = "me-kv") -> Html:
    """A two-column definition table (label, value), escaped."""
    rows = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in pairs)
    return Html(f'<table class="{esc(cls)}"><tbody>{rows}</tbody></table>')


def concat(*parts: Html) -> Html:
    """Join several trusted fragments into one display."""
    return Html("".join(str(p) for p in parts))
