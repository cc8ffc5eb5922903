"""Drop standard-error streams (warnings, progress bars) from the outputs shown in reports."""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool


class DropStderrPreprocessor(Preprocessor):
    """Remove ``stderr`` stream outputs; the run ledger keeps the failures."""

    drop_stderr = Bool(
        True, help="Remove the standard-error stream outputs (warnings) from code cells.",
    ).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        """Filter one code cell's outputs."""
        if self.drop_stderr and cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", [])
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
        return cell, resources
