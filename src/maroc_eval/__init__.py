"""maroc-eval: evaluation toolkit for the "Intervention spécifique Maroc" (2008-2012).

The package computes; the notebooks in ``notebooks/`` communicate.
"""

__version__ = "0.1.0"
