"""The domain, pure and notebook-free: programme, monitoring data, judgements, indicators.

Imports nothing of :mod:`maroc_eval.notebook`, :mod:`maroc_eval.run` nor
:mod:`maroc_eval.report`; only the shared base (paths, errors, formats…).
"""
