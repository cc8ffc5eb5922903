"""What the evaluation notebooks call: their context, sections, charts and tables.

Imports only :mod:`maroc_eval.core` and the shared base.
"""
