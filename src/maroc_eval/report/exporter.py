"""The reports' HTML exporter: nbconvert's own ``HTMLExporter`` with the ``rapport`` template.

Only nbconvert's public API: the exporter class as it is, configured by its traits
(:func:`settings`), and the template of ``templates/rapport`` (which extends nbconvert's ``lab``
template and gives every image, PNG, SVG or JPEG, its text alternative in the report's language,
so nbconvert's English placeholder is never needed). ``HTMLExporter`` re-parses the rendered page
for its accessibility touches (``tabindex`` on outputs, ``alt`` on images without one): about
0.2 s per report, the price of not copying its private code. The template stays an ordinary
nbconvert template: ``jupyter nbconvert --template rapport`` uses it with the stock exporter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..base import paths

if TYPE_CHECKING:  # nbconvert is loaded only when a report is exported
    from nbconvert import HTMLExporter


def settings() -> dict:
    """The reports' exporter settings: the report template (from ``paths`` at call time), no
    code, no prompts. nbformat's schema check runs once after all preprocessors
    (``optimistic_validation``) rather than after each of them: a fifth of the export time, for
    the same check."""
    return {"optimistic_validation": True, "template_name": paths.REPORT_TEMPLATE,
            "extra_template_basedirs": [str(paths.TEMPLATES_DIR)], "exclude_input": True,
            "exclude_input_prompt": True, "exclude_output_prompt": True}


def make_exporter() -> HTMLExporter:
    """The exporter of the reports (:func:`settings`)."""
    from nbconvert import HTMLExporter

    return HTMLExporter(**settings())
