"""Number the report's figures and tables, and give each figure its source.

A printed report refers to its figures and tables by number: each chart (a PNG output) gets a
legend « Figure 3 — <its title>. Source : données de suivi des communes. » under it (written by
the ``rapport`` template from the output's metadata), and each table with a caption gets
« Tableau 2 — » before it. The numbers run through the whole report, in reading order.
"""

from __future__ import annotations

import html
import re

from nbconvert.preprocessors import Preprocessor

from ...base.fmt import typo
from ...base.i18n import _

LEGEND = "maroc_eval_legende"
"""The key of a PNG output's metadata holding its legend (number, title, source)."""
_CAPTION = re.compile(r"<caption>")
_HEADING = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.S)
_TAG = re.compile(r"<[^>]+>")
LONG = 120
"""A chart's text alternative longer than this (a grid of panels, each title listed) gives
way, in its legend, to the title of the section it is in."""


def _html(data) -> str:
    return "".join(data) if isinstance(data, list) else data


class NumberingPreprocessor(Preprocessor):
    """Number figures (PNG outputs) and captioned tables (HTML outputs) in reading order."""

    def preprocess(self, nb, resources):
        """Number every figure and table of the notebook."""
        figures = tables = 0
        section = ""
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                found = _HEADING.findall(cell.source)
                if found:
                    section = html.unescape(_TAG.sub("", found[-1])).strip()
                continue
            if cell.cell_type != "code":
                continue
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if "text/html" in data:
                    markup = _html(data["text/html"])

                    def number(_match):
                        nonlocal tables
                        tables += 1
                        return "<caption>" + typo(_("Tableau {n} — ").format(n=tables))

                    data["text/html"] = _CAPTION.sub(number, markup)
                if "image/png" in data:
                    figures += 1
                    meta = output.setdefault("metadata", {})
                    alt = (meta.get("image/png") or {}).get("alt") or ""
                    title = alt.strip().rstrip(".")
                    if len(title) > LONG and section:
                        title = section
                    legend = (_("Figure {n} — {title}.").format(n=figures, title=title)
                              if title else _("Figure {n}.").format(n=figures))
                    meta[LEGEND] = typo(legend + " " + _("Source : données de suivi des "
                                                         "communes."))
        return nb, resources
