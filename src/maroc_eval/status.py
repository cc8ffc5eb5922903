"""The status of an indicator or a result, by achievement band: codes and French labels.

Kept apart from the indicator engine so that reports and the index, which only show statuses,
do not import pandas.
"""

STATUS_CODES = ("atteint", "en_bonne_voie", "en_retard", "critique", "non_renseigne")
STATUS_LABELS = {
    "atteint": "Atteint",
    "en_bonne_voie": "En bonne voie",
    "en_retard": "En retard",
    "critique": "Critique",
    "non_renseigne": "Non renseigné",
}
