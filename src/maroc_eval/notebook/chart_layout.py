"""Laying a chart out so that nothing is cut: titles wrapped to their axes, then a tight layout.

A title is measured with the figure's renderer, at the size it will be saved, and wrapped at
word boundaries until it fits the width of its axes; the layout is then recomputed for the
taller title. Charts call :func:`set_title` instead of ``ax.set_title`` and end with
:func:`finish`.
"""

from __future__ import annotations

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
        fig.tight_layout(rect=rect)
        if not fit_titles(fig):
            break
    else:
        fig.tight_layout(rect=rect)
        fit_titles(fig)
    fig.set_layout_engine(None)
