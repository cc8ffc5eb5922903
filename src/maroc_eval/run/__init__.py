"""The battery: executing the notebooks with papermill, per pair and phase, incrementally.

Never imports :mod:`maroc_eval.report` (nor the other way round): they share only the base.
"""
