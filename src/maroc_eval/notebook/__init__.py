"""What the evaluation notebooks call: their context, sections, charts and tables.

A notebook opens its view from the values of its parameters cell, then calls its sections, each
of which displays itself::

    from maroc_eval.notebook import open_ri

    ri = open_ri("RI3", globals())
    ri.header()
    ...
    ri.save()

Imports only :mod:`maroc_eval.core` and the shared base.
"""

from __future__ import annotations

from ..base.catalogue import EXPLORATION, PAIR_SYNTHESIS, PROGRAMME_SYNTHESIS, ri_notebook
from .context import open_notebook


def open_ri(ri: str, namespace):
    """The view of an RI notebook (:class:`~maroc_eval.notebook.riview.RIView`).

    Parameters
    ----------
    ri : str
        The intermediate result (``"RI3"``); its notebook is found in the catalogue.
    namespace : dict
        The notebook's ``globals()``, holding its parameters.
    """
    from .ri_specific import ANALYSES, options
    from .riview import RIView

    spec = ri_notebook(ri)
    ctx = open_notebook(spec.stem, namespace, ("compare_pairs", *options(ANALYSES[ri])))
    return RIView(ctx, ri, compare_pairs=ctx.setting("compare_pairs", True))


def open_pair_synthesis(namespace):
    """The view of the pair synthesis
    (:class:`~maroc_eval.notebook.pair_synthesis.PairSynthesis`)."""
    from .pair_synthesis import PairSynthesis

    return PairSynthesis(open_notebook(PAIR_SYNTHESIS.stem, namespace))


def open_programme_synthesis(namespace):
    """The view of the programme synthesis
    (:class:`~maroc_eval.notebook.programme_synthesis.ProgrammeSynthesis`)."""
    from .programme_synthesis import ProgrammeSynthesis

    return ProgrammeSynthesis(open_notebook(PROGRAMME_SYNTHESIS.stem, namespace))


def open_exploration(namespace):
    """The view of the exploration notebook (:class:`~maroc_eval.notebook.explore.Exploration`)."""
    from .explore import Exploration

    ctx = open_notebook(EXPLORATION.stem, namespace)
    return Exploration(ctx, namespace["indicator"], namespace["first_year"],
                       namespace["last_year"], namespace.get("compare_with", ()))


def show_panel(view) -> None:
    """Show the live panel (:class:`~maroc_eval.notebook.panel.ExplorationPanel`) starting from
    an exploration's view; the parameters cell stays the replayable path.

    Parameters
    ----------
    view : Exploration
        What :func:`open_exploration` returned.
    """
    from .panel import ExplorationPanel

    ExplorationPanel(view).show()
