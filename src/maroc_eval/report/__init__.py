"""The reports: executed notebooks joined and exported by nbconvert, annexes and index.

Never imports :mod:`maroc_eval.run` (nor the other way round): they share only the base.
"""
