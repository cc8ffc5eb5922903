"""The evaluation team's grid: a workbook per pair (and for the programme) and phase, the
evaluation matrix as its spine, which the team fills and the toolkit reads back into its store.

- :mod:`.layout` — the sheets, their columns and kinds of cell (shared by writer and reader);
- :mod:`.context` — the appraisal, evidence and checks a grid is written from;
- :mod:`.evidence_text` — the computed evidence as the locked cells say it;
- :mod:`.places` — an appraisal as places: flatten, build, three-way merge, changes;
- :mod:`.content` — what each sheet holds, row by row;
- :mod:`.readme`, :mod:`.writer` — the workbook (``maroc-eval grille``), :mod:`.request`;
- :mod:`.reader`, :mod:`.sheet_reader` — reading a filled grid back, every problem located;
- :mod:`.diff` — what an import changes, in words;
- :mod:`.importer` — ``maroc-eval importer-grille``: check, diff, record under the lock.

This room imports the base and ``core`` only.
"""
