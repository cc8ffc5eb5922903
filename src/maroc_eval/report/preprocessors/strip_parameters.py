"""Drop the cells a reader must never see: parameters, injected parameters, set-up cells."""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Set, Unicode


class StripParametersPreprocessor(Preprocessor):
    """Remove every cell carrying one of :attr:`remove_tags` (and papermill's error banners)."""

    remove_tags = Set(
        Unicode(),
        default_value={"parameters", "injected-parameters", "remove-cell"},
        help="Cells with any of these tags are removed from the report.",
    ).tag(config=True)

    def preprocess(self, nb, resources):
        """Keep only the cells without a removal tag."""
        nb.cells = [c for c in nb.cells
                    if not self.remove_tags.intersection(c.get("metadata", {}).get("tags", []))]
        return nb, resources
