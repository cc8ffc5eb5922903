"""The catalogue of the evaluation battery: which notebook evaluates what, and its sidecar.

A contract shared by three rooms, hence in the base: the runner builds its job graph from it,
the syntheses find the RI sidecars they read by it, and reports find their sections by it.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import paths
from .errors import ParameterError, suggest


@dataclass(frozen=True)
class NotebookSpec:
    """One notebook of the battery.

    Attributes
    ----------
    stem : str
        File name without ``.ipynb`` (also the sidecar's name).
    scope : str
        ``"ri"`` (one per pair and phase), ``"pair"`` (pair synthesis) or ``"programme"``.
    ri : str or None
        The intermediate result an RI notebook evaluates.
    title : str
        French title, used by reports and the index.
    """

    stem: str
    scope: str
    ri: str | None
    title: str

    @property
    def path(self):
        """The committed notebook."""
        return paths.NOTEBOOKS_DIR / f"{self.stem}.ipynb"


RI_NOTEBOOKS: tuple[NotebookSpec, ...] = (
    NotebookSpec("ri1_service_action_sociale", "ri", "RI1", "RI 1 — Service d'action sociale"),
    NotebookSpec("ri2_planification_suivi", "ri", "RI2",
                 "RI 2 — Planification, suivi et évaluation"),
    NotebookSpec("ri3_competences_personnel", "ri", "RI3", "RI 3 — Compétences du personnel"),
    NotebookSpec("ri4_infrastructures_sociales", "ri", "RI4",
                 "RI 4 — Infrastructures et équipements sociaux"),
    NotebookSpec("ri5_elus_budget_social", "ri", "RI5",
                 "RI 5 — Sensibilisation des élus et budget social"),
    NotebookSpec("ri7_partenariats_locaux", "ri", "RI7",
                 "RI 7 — Cohérence et synergie avec les partenaires"),
)
PAIR_SYNTHESIS = NotebookSpec("synthese_partenariat", "pair", None, "Synthèse du partenariat")
PROGRAMME_SYNTHESIS = NotebookSpec("synthese_programme", "programme", None, "Synthèse du programme")
EXPLORATION = NotebookSpec("exploration", "interactive", None, "Exploration interactive")

BATTERY: tuple[NotebookSpec, ...] = (*RI_NOTEBOOKS, PAIR_SYNTHESIS, PROGRAMME_SYNTHESIS)
ALL_NOTEBOOKS: tuple[NotebookSpec, ...] = (*BATTERY, EXPLORATION)


def ri_notebook(ri: str) -> NotebookSpec:
    """The notebook evaluating an intermediate result.

    Raises
    ------
    ParameterError
        No notebook of the battery evaluates ``ri`` (the message lists those that exist).
    """
    for spec in RI_NOTEBOOKS:
        if spec.ri == ri:
            return spec
    codes = [s.ri for s in RI_NOTEBOOKS]
    raise ParameterError(f"Résultat intermédiaire inconnu « {ri} »{suggest(str(ri), codes)}. "
                         f"Valeurs possibles : {', '.join(codes)}.")
