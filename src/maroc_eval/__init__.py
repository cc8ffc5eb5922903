"""maroc-eval: evaluation toolkit for the "Intervention spécifique Maroc" (2008-2012).

The package computes; the notebooks in ``notebooks/`` communicate.
"""

import sys

# nbformat imports jsonschema, which imports ``rfc3987_syntax`` when installed: it compiles some
# forty grammars (about 1.3 s, most of a rerun or report build with nothing to do) for IRI format
# checks that the notebook schema never uses. Marking it absent makes jsonschema skip them.
sys.modules.setdefault("rfc3987_syntax", None)

__version__ = "0.1.0"
