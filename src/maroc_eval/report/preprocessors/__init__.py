"""nbconvert preprocessors of the report template, one concern per module.

``templates/rapport/conf.json`` names them in the order they run, so the template applies them
both from :mod:`maroc_eval.report.build` and from ``jupyter nbconvert --template rapport``. The
cells a reader must never see (``parameters``, ``injected-parameters``, ``remove-cell``, and
papermill's error banner ``papermill-error-cell-tag``) are removed first by nbconvert's own
``TagRemovePreprocessor``, its ``remove_cell_tags`` given in ``conf.json`` (nbconvert passes an
entry's other keys to the preprocessor it creates).
"""

from .active_content import NeutraliseActiveContentPreprocessor
from .headings import HeadingsPreprocessor, slugify
from .numbering import LEGEND, NumberingPreprocessor
from .stderr import DropStderrPreprocessor
from .toc import TocPreprocessor
from .translate import TranslateMarkdownPreprocessor

REPORT_METADATA = "maroc_eval_rapport"  # cell metadata key set by the report assembly

__all__ = [
    "LEGEND",
    "REPORT_METADATA",
    "DropStderrPreprocessor",
    "HeadingsPreprocessor",
    "NeutraliseActiveContentPreprocessor",
    "NumberingPreprocessor",
    "TocPreprocessor",
    "TranslateMarkdownPreprocessor",
    "slugify",
]
