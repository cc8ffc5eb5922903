"""Data collection round trip: forms for the communes, and the import of what they send back.

- :mod:`.rules` — what an input cell accepts for each indicator (the rules of ``validate``);
- :mod:`.form` — the data-entry workbook of a pair (``maroc-eval formulaire``);
- :mod:`.formmeta` — its hidden sheet: the layout, the locked cells' digests, the signature;
- :mod:`.formread` — reading a filled form back, trusting nothing of its hidden sheet;
- :mod:`.request` — the forms asked for: options checked, output folder refused if unsafe;
- :mod:`.xlsform` — the same questionnaire as an XLSForm for KoboToolbox / ODK;
- :mod:`.received` — reading back filled forms, Kobo exports and long-format files;
- :mod:`.diff` — what the received values change in the data folder, unusual jumps flagged;
- :mod:`.merge` — one new file per import, raw files never edited, received files kept under
  ``recus/``, committed all or nothing (:mod:`maroc_eval.base.transaction`);
- :mod:`.importer` — ``maroc-eval importer``: read, check, show the diff, merge if asked, under
  the data folder's lock.

This room imports the base and ``core`` only.
"""
