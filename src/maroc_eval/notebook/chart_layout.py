"""Laying a chart out so that nothing is cut: titles wrapped to their axes, then a tight layout.

A title is measured with the figure's renderer, at the size it will be saved, and wrapped at
word boundaries until it fits the width of its axes; the layout (:func:`fit`, matplotlib's
tight layout with every label measured once) is then recomputed if a title gained or lost a
line. Charts call :func:`set_title` instead of ``ax.set_title`` and end with :func:`finish`.
"""

from __future__ import annotations

import matplotlib as mpl
from matplotlib.font_manager import FontProperties
from matplotlib.transforms import Bbox

_FULL = "_maroc_eval_title"


def wrap(text: str, width: int = 40) -> str:
    """Break ``text`` into lines of at most ``width`` characters, at spaces (a longer word
    stays whole on its own line)."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])


def set_title(ax, text: str, **kwargs):
    """Set a left-aligned title that :func:`finish` wraps to the axes' width.

    Returns
    -------
    matplotlib.text.Text
    """
    title = ax.set_title(text, loc="left", **kwargs)
    setattr(ax, _FULL, (title, " ".join(text.split())))
    return title


def fit_titles(fig) -> bool:
    """Wrap each title set by :func:`set_title` until it fits its axes; whether any title's
    number of lines changed (what the layout depends on: a title fitting its axes adds only its
    height to them, and wrapping it at other words in as many lines keeps that height)."""
    renderer = fig.canvas.get_renderer()
    changed = False
    for ax in fig.axes:
        found = getattr(ax, _FULL, None)
        if found is None or not ax.get_visible():
            continue
        title, full = found
        room = ax.get_window_extent(renderer).width
        width = len(full)
        while True:
            text = wrap(full, width)
            title.set_text(text)
            if title.get_window_extent(renderer).width <= room or width <= 8:
                break
            width = max(8, int(width * 0.9) - 1)
        lines = text.count("\n") + 1
        changed |= lines != getattr(ax, "_maroc_eval_lines", None)
        ax._maroc_eval_lines = lines
    return changed


def fit(fig, rect=(0, 0, 1, 1), pad: float = 1.08) -> None:
    """Place the subplots of ``fig`` so that they and their labels fill ``rect`` (figure fraction).

    The layout of ``Figure.tight_layout(rect=rect)``, with each axes' decorations measured once:
    given a ``rect``, matplotlib measures every tick label twice (the costliest step of a chart),
    once for the margins and once more, with the same answer, to place them inside the rect.
    Here the margins are the rect's room plus the widest decoration on each side plus ``pad``
    (a fraction of the font size, matplotlib's default), and the gaps between subplots the
    widest decorations between them plus ``pad``; the sample's charts come out pixel for pixel
    as with ``tight_layout``. Only public API: each axes' tight box
    (``get_tightbbox(for_layout_only=True)``, what tight layout uses) against its cell of the
    grid (axes sharing a cell, twins, by the union of their boxes), then ``subplots_adjust``.
    A figure this does not handle (axes outside a grid or on several grids, a figure title,
    labels too wide for the figure) is left to ``Figure.tight_layout``.
    """
    axes = [ax for ax in fig.axes if ax.get_visible()]
    specs = [ax.get_subplotspec() for ax in axes]
    if not axes or None in specs or len({id(s.get_gridspec()) for s in specs}) != 1 \
            or fig.get_suptitle():
        fig.tight_layout(rect=rect)
        return
    renderer = fig.canvas.get_renderer()
    rows, cols = specs[0].get_gridspec().get_geometry()
    to_figure = fig.transFigure.inverted()
    # room the decorations need, in figure fraction: side[r][c] left of column c in row r
    # (c = cols: right of the last column), level[r][c] above row r in column c (r = rows: below
    # the last row)
    side = [[0.0] * (cols + 1) for _ in range(rows)]
    level = [[0.0] * cols for _ in range(rows + 1)]
    cells: dict = {}  # axes sharing a cell (a twin) count once, by the union of their boxes
    for ax, spec in zip(axes, specs, strict=True):
        cells.setdefault(spec, []).append(ax.get_tightbbox(renderer, for_layout_only=True))
    for spec, boxes in cells.items():
        cell = spec.get_position(fig)
        box = to_figure.transform_bbox(Bbox.union(boxes))
        for r in range(spec.rowspan.start, spec.rowspan.stop):
            side[r][spec.colspan.start] += cell.xmin - box.xmin
            side[r][spec.colspan.stop] += box.xmax - cell.xmax
        for c in range(spec.colspan.start, spec.colspan.stop):
            level[spec.rowspan.start][c] += box.ymax - cell.ymax
            level[spec.rowspan.stop][c] += cell.ymin - box.ymin
    width, height = fig.get_size_inches()
    pad_inch = pad * FontProperties(size=mpl.rcParams["font.size"]).get_size_in_points() / 72
    across, down = pad_inch / width, pad_inch / height
    left = rect[0] + max(max(row[0] for row in side), 0) + across
    right = rect[2] - max(max(row[-1] for row in side), 0) - across
    bottom = rect[1] + max(max(level[-1]), 0) + down
    top = rect[3] - max(max(level[0]), 0) - down
    adjust = {"left": left, "right": right, "bottom": bottom, "top": top}
    cell_width, cell_height = right - left, top - bottom
    if cols > 1:
        gap = max(v for row in side for v in row[1:-1]) + across
        cell_width = (right - left - gap * (cols - 1)) / cols
        adjust["wspace"] = gap / cell_width if cell_width > 0 else 0
    if rows > 1:
        gap = max(v for row in level[1:-1] for v in row) + down
        cell_height = (top - bottom - gap * (rows - 1)) / rows
        adjust["hspace"] = gap / cell_height if cell_height > 0 else 0
    if cell_width <= 0 or cell_height <= 0:
        fig.tight_layout(rect=rect)
        return
    fig.subplots_adjust(**adjust)


def finish(fig, rect=(0, 0, 1, 1)) -> None:
    """Lay ``fig`` out inside ``rect`` (figure fraction) with every title fitting its axes.

    A layout is computed again only when the last one changed a title's number of lines (a
    layout is the costliest step of a chart: every tick label is measured). The figure keeps the
    layout found here: its layout engine is removed (``None``: the style sets neither
    ``figure.autolayout`` nor constrained layout), so that saving it draws it once, instead of
    laying it out again in an extra draw.
    """
    fit_titles(fig)
    for _ in range(4):
        fit(fig, rect)
        if not fit_titles(fig):
            break
    else:
        fit(fig, rect)
        fit_titles(fig)
    fig.set_layout_engine(None)
