"""The catalogue of the evaluation battery: which notebook evaluates what, and its sidecar.

A contract shared by three rooms, hence in the base: the runner builds its job graph from it,
the syntheses find the RI sidecars they read by it, and reports find their sections by it.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import paths
from .errors import ParameterError, suggest
from .i18n import N_, _


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
        Title used by reports and the index: a French catalogue message, translated where it is
        shown (``_(spec.title)``).
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
    NotebookSpec("ri1_service_action_sociale", "ri", "RI1", N_("RI 1 — Service d'action sociale")),
    NotebookSpec("ri2_planification_suivi", "ri", "RI2",
                 N_("RI 2 — Planification, suivi et évaluation")),
    NotebookSpec("ri3_competences_personnel", "ri", "RI3", N_("RI 3 — Compétences du personnel")),
    NotebookSpec("ri4_infrastructures_sociales", "ri", "RI4",
                 N_("RI 4 — Infrastructures et équipements sociaux")),
    NotebookSpec("ri5_elus_budget_social", "ri", "RI5",
                 N_("RI 5 — Sensibilisation des élus et budget social")),
    NotebookSpec("ri7_partenariats_locaux", "ri", "RI7",
                 N_("RI 7 — Cohérence et synergie avec les partenaires")),
)
PAIR_SYNTHESIS = NotebookSpec("synthese_partenariat", "pair", None, N_("Synthèse du partenariat"))
PROGRAMME_SYNTHESIS = NotebookSpec("synthese_programme", "programme", None,
                                   N_("Synthèse du programme"))
EXPLORATION = NotebookSpec("exploration", "interactive", None, N_("Exploration interactive"))

BATTERY: tuple[NotebookSpec, ...] = (*RI_NOTEBOOKS, PAIR_SYNTHESIS, PROGRAMME_SYNTHESIS)

# What the battery's notebooks and their kernels import, imported once by the warm process their
# kernels are forked from (:mod:`maroc_eval.run.warm_kernel`), by name: data for the kernel, never
# imported by the runner itself. Without them each kernel imported them again (about 0.13 s of
# CPU per notebook, measured on 07/12/2026): the notebook views (riview, pair_synthesis,
# programme_synthesis, explore) with pyplot and babel, and what ipykernel loads when a kernel
# starts (its debugger, which brings debugpy, the completer, the history's sqlite3). Importing
# pyplot does not choose its backend (that happens at the first figure, in the kernel, where the
# inline backend then hooks into the kernel's shell), and none of these modules starts a thread
# (the warm process must stay single-threaded; tests/run/test_provisioner.py checks it).
WARM_IMPORTS: tuple[str, ...] = (
    "numpy", "pandas", "matplotlib", "matplotlib.figure", "matplotlib.backends.backend_agg",
    "matplotlib.pyplot", "PIL.Image", "PIL.PngImagePlugin", "babel.dates", "babel.numbers",
    "statistics", "sqlite3",
    "IPython", "IPython.core.completerlib", "IPython.core.pylabtools",
    "IPython.extensions.storemagic", "ipykernel.kernelapp", "ipykernel.ipkernel",
    "ipykernel.debugger", "tornado.platform.asyncio", "tornado.queues",
    "maroc_eval.base.markup", "maroc_eval.base.sidecar", "maroc_eval.core.indicators",
    "maroc_eval.core.series", "maroc_eval.notebook", "maroc_eval.notebook.context",
    "maroc_eval.notebook.display", "maroc_eval.notebook.sidecars", "maroc_eval.notebook.tables",
    "maroc_eval.notebook.riview", "maroc_eval.notebook.pair_synthesis",
    "maroc_eval.notebook.programme_synthesis", "maroc_eval.notebook.explore")
# The fragment template the notebooks render, compiled once in the warm process.
WARM_TEMPLATES: tuple[str, ...] = ("fragments/blocks.html.j2",)
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
    raise ParameterError(_("Résultat intermédiaire inconnu « {ri} »{hint}. Valeurs possibles : "
                           "{choices}.").format(ri=ri, hint=suggest(str(ri), codes),
                                                choices=", ".join(codes)))
