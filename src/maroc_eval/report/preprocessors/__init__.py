"""nbconvert preprocessors of the report template, one concern per module.

``templates/rapport/conf.json`` names them in the order they run, so the template applies them
both from :mod:`maroc_eval.report.build` and from ``jupyter nbconvert --template rapport``.
"""

from .active_content import NeutraliseActiveContentPreprocessor
from .headings import HeadingsPreprocessor, slugify
from .stderr import DropStderrPreprocessor
from .strip_parameters import StripParametersPreprocessor
from .toc import TocPreprocessor

REPORT_METADATA = "maroc_eval_rapport"  # cell metadata key set by the report assembly

__all__ = [
    "REPORT_METADATA",
    "DropStderrPreprocessor",
    "HeadingsPreprocessor",
    "NeutraliseActiveContentPreprocessor",
    "StripParametersPreprocessor",
    "TocPreprocessor",
    "slugify",
]
