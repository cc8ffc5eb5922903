"""Translate the notebooks' Markdown prose into the report's language.

French is the source language: the notebooks are written in French and their prose is a
message of the gettext catalogue, one per heading and per paragraph
(:mod:`maroc_eval.report.markdown_units`, extracted by :mod:`maroc_eval.report.extract`). In a
report in another language, each Markdown cell's headings and paragraphs are replaced by their
translation; a paragraph the catalogue does not know stays as written. A French report is left
exactly as it is.
"""

from __future__ import annotations

import gettext

from nbconvert.preprocessors import Preprocessor
from traitlets import Unicode

from ...base import i18n, paths
from ..markdown_units import translate


def gettext_for(lang: str):
    """The gettext function of a language (its catalogue in ``paths.LOCALE_DIR``)."""
    if lang == i18n.language():
        return i18n._
    return gettext.translation(i18n.DOMAIN, localedir=str(paths.LOCALE_DIR), languages=[lang],
                               fallback=True).gettext


class TranslateMarkdownPreprocessor(Preprocessor):
    """Replace each Markdown cell's headings and paragraphs by their catalogue translation."""

    language = Unicode(
        "", help="Language of the report: 'en', 'fr', or '' for the language maroc-eval speaks "
        "(French unless set); French leaves the cells untouched.").tag(config=True)

    def preprocess(self, nb, resources):
        """Translate every Markdown cell (nothing to do in French)."""
        lang = i18n.language_of(self.language) or i18n.language()
        if lang == i18n.DEFAULT:
            return nb, resources
        lookup = gettext_for(lang)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = translate(cell.source, lookup)
        return nb, resources
