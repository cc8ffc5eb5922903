"""Data collection round trip: forms for the communes, and the import of what they send back.

- :mod:`.rules` — what an input cell accepts for each indicator (the rules of ``validate``);
- :mod:`.form` — the data-entry workbook of a pair (``maroc-eval formulaire``);
- :mod:`.xlsform` — the same questionnaire as an XLSForm for KoboToolbox / ODK;
- :mod:`.received` — reading back filled forms, Kobo exports and long-format files;
- :mod:`.diff` — what the received values change in the data folder;
- :mod:`.merge` — the atomic merge, with the received files archived under ``recus/``;
- :mod:`.importer` — ``maroc-eval importer``: read, check, show the diff, merge if asked.

This room imports the base and ``core`` only.
"""
