"""The reports' HTML exporter: nbconvert's ``HTMLExporter`` without its second parse of the page.

After rendering its template, ``HTMLExporter.from_notebook_node`` (nbconvert 7) parses the whole
page again with BeautifulSoup for three accessibility touches, then serialises it again: an
``alt`` on every image that has none, and ``tabindex="0"`` on code inputs and outputs so keyboard
users can scroll them. On a 0.56 MB pair report (charts embedded in base64) that parse and
serialisation take two thirds of the export (0.24 s of 0.35 s, profiled with cProfile).

:class:`ReportExporter` renders the same template and makes the same three touches on the start
tags of the rendered page, without building a tree. Its output is the same document as
``HTMLExporter``'s (``tests/report/test_exporter.py`` compares the two, element by element, on real
reports); only the text given to an image without one differs: French here, English there. The
report template itself gives every chart its French title as ``alt`` (``data_png`` block), so that
default only serves images from elsewhere. The template stays an ordinary nbconvert template:
``jupyter nbconvert --template rapport`` uses it with the stock exporter.

:meth:`ReportExporter.from_notebook_node` copies nbconvert's own, private ``_init_resources``
call included: nbconvert is bounded below the next minor version (``pyproject.toml``,
``environment.yml``), and a test fails, saying what to re-check, when the copied method changes.
"""

from __future__ import annotations

import html
import re

from nbconvert import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

from .. import i18n, paths

DEFAULT_ALT = i18n.N_("Image sans description")
"""The text of an image without one (French; given in the report's language)."""
_FOCUSABLE = ("jp-OutputArea-output", "jp-Cell-inputWrapper")  # nbconvert's two selectors
# A start tag as HTML tokenises it: attribute values may hold '>' when quoted.
_NAME, _VALUE = r"""[^\s"'>/=]+""", r"""(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+)"""
_ATTRS = re.compile(rf"\s+({_NAME})(?:\s*=\s*({_VALUE}))?")
_START_TAG = re.compile(rf"<(div|img)((?:\s+{_NAME}(?:\s*=\s*{_VALUE})?)*)(\s*/?)>",
                        re.IGNORECASE)


def _touch(match: re.Match) -> str:
    tag, body, closing = match.groups()
    attrs = {name.lower(): value.strip("\"'") for name, value in _ATTRS.findall(body)}
    if tag.lower() == "img":
        touch = "alt" not in attrs and f' alt="{html.escape(i18n._(DEFAULT_ALT))}"'
    else:
        focusable = not set(attrs.get("class", "").split()).isdisjoint(_FOCUSABLE)
        touch = focusable and "tabindex" not in attrs and ' tabindex="0"'
    return f"<{tag}{body}{touch}{closing}>" if touch else match.group(0)


def accessible(html: str) -> str:
    """Add what ``HTMLExporter`` adds after rendering: ``alt`` on images without one, and
    ``tabindex="0"`` on ``div`` elements of class ``jp-OutputArea-output`` or
    ``jp-Cell-inputWrapper``.

    Parameters
    ----------
    html : str
        A page rendered from an nbconvert template: only start tags are read (text, comments
        and scripts are not told apart; the report template writes no script nor comment).

    Returns
    -------
    str
    """
    return _START_TAG.sub(_touch, html)


class ReportExporter(HTMLExporter):
    """``HTMLExporter`` whose accessibility touches are made by :func:`accessible`, and whose
    templates speak the toolkit's language: Jinja's ``i18n`` extension with the gettext of
    :mod:`maroc_eval.i18n` (``{{ _("Texte") }}``; the report template falls back to its French
    text under the stock exporter, which has no ``_``)."""

    def _create_environment(self):
        environment = super()._create_environment()
        environment.add_extension("jinja2.ext.i18n")
        environment.install_gettext_callables(i18n._, i18n.ngettext)
        return environment

    def from_notebook_node(self, nb, resources=None, **kw):
        """Convert a notebook node to HTML (see :meth:`nbconvert.HTMLExporter.from_notebook_node`).

        The two filters ``HTMLExporter`` registers before rendering are registered the same way.
        """
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        self.register_filter("highlight_code", self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
        resources = self._init_resources(resources)
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources))
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return accessible(html), resources


def settings() -> dict:
    """The reports' exporter settings: the report template (from ``paths`` at call time), no
    code, no prompts. nbformat's schema check runs once after all preprocessors
    (``optimistic_validation``) rather than after each of them: a fifth of the export time, for
    the same check."""
    return {"optimistic_validation": True, "template_name": paths.REPORT_TEMPLATE,
            "extra_template_basedirs": [str(paths.TEMPLATES_DIR)], "exclude_input": True,
            "exclude_input_prompt": True, "exclude_output_prompt": True}


def make_exporter() -> ReportExporter:
    """The exporter of the reports (:func:`settings`)."""
    return ReportExporter(**settings())
