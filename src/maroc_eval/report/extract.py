"""Babel extractor of the notebooks' Markdown prose (``babel.cfg``: ``[notebooks: *.ipynb]``).

Each heading's text and each paragraph of each Markdown cell is a message
(:mod:`maroc_eval.report.markdown_units`), translated at report time by
:class:`~maroc_eval.report.preprocessors.translate.TranslateMarkdownPreprocessor`. Code cells are
not read: their texts are the package's, extracted from its Python code.
"""

from __future__ import annotations

import json

from .markdown_units import messages


def extract_notebook(fileobj, keywords, comment_tags, options):
    """Yield the messages of a notebook's Markdown cells, Babel's way.

    Parameters
    ----------
    fileobj : file
        The ``.ipynb`` file, opened in binary mode.
    keywords, comment_tags, options
        Babel's extractor arguments (unused: every heading and paragraph is a message).

    Yields
    ------
    tuple
        ``(lineno, funcname, message, comments)``: the cell's number (from 1) stands for the
        line, no function, the message, a comment naming the cell.
    """
    notebook = json.loads(fileobj.read().decode("utf-8"))
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        for message in messages(source):
            yield number, None, message, [f"cellule Markdown {number}"]
