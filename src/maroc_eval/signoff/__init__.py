"""Signing a report off: ``maroc-eval signer``.

A report is a draft until the evaluation team signs it. :mod:`.readiness` says why a report
cannot be signed yet (places « à compléter », open checks, reports missing or out of date, no
signatory…); :mod:`.sign` writes the signed version under the data folder
(``signatures/<phase>/<who>/v<version>/``), atomically and never over an existing one. The
record itself is the base's contract :mod:`maroc_eval.base.signature`, which the reports read for
their cover.

This room imports the base, ``core`` and, to read the reports and their keys, ``report``; it
never imports ``run``.
"""
