"""Neutralise active content: a report opens offline and never runs code from its data.

The package escapes every text it displays; this preprocessor is the second line: it drops
JavaScript and widget outputs and turns any ``<script>``, ``<iframe>``, ``<object>``,
``<embed>`` tag and any inline ``on…=`` event handler left in HTML or Markdown into inert text.
"""

from __future__ import annotations

import re

from nbconvert.preprocessors import Preprocessor
from traitlets import Set, Unicode

_TAG = re.compile(r"<(/?)(script|iframe|object|embed|base|meta)\b", re.IGNORECASE)
_HANDLER = re.compile(r"(<[a-zA-Z][^<>]*?\s)(on[a-zA-Z]+)(\s*=)", re.DOTALL)
_JS_URL = re.compile(r"""((?:href|src)\s*=\s*["']?)\s*javascript:""", re.IGNORECASE)


def neutralise(html: str) -> str:
    """Make active tags and event handlers inert (shown as text or renamed).

    Examples
    --------
    >>> neutralise('<script>x</script>')
    '&lt;script>x&lt;/script>'
    >>> neutralise('<img src=x onerror="y">')
    '<img src=x data-neutralise-onerror="y">'
    """
    html = _TAG.sub(lambda m: f"&lt;{m.group(1)}{m.group(2)}", html)
    previous = None
    while previous != html:
        previous = html
        html = _HANDLER.sub(lambda m: f"{m.group(1)}data-neutralise-{m.group(2)}{m.group(3)}", html)
    return _JS_URL.sub(r"\1#", html)


class NeutraliseActiveContentPreprocessor(Preprocessor):
    """Remove script outputs and neutralise scripts in HTML, SVG and Markdown."""

    dropped_mimetypes = Set(
        Unicode(),
        default_value={"application/javascript", "text/javascript",
                       "application/vnd.jupyter.widget-view+json",
                       "application/vnd.jupyter.widget-state+json"},
        help="Output MIME types removed from the report (active content).",
    ).tag(config=True)
    checked_mimetypes = Set(
        Unicode(),
        default_value={"text/html", "text/markdown", "image/svg+xml"},
        help="Output MIME types whose text is neutralised.",
    ).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        """Neutralise one cell's Markdown source or outputs."""
        if cell.cell_type in ("markdown", "raw"):
            cell.source = neutralise(cell.source)
        for output in cell.get("outputs", []):
            data = output.get("data")
            if not data:
                continue
            for mime in list(data):
                if mime in self.dropped_mimetypes:
                    del data[mime]
                elif mime in self.checked_mimetypes:
                    text = data[mime]
                    data[mime] = neutralise("".join(text) if isinstance(text, list) else text)
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if o.get("output_type") not in
                            ("display_data", "execute_result") or o.get("data")]
        return cell, resources
