"""The exploration's live panel (ipywidgets): pair, RI or indicator, years and phase.

Each change redraws the chart and the table of :class:`~maroc_eval.notebook.explore.Exploration`
in the panel's output, in JupyterLab and on the Voilà dashboard (``make tableau``). The panel
starts from the parameters cell's values and never changes them: the cell stays the replayable
path (papermill, *Run All*), the panel is for the review meeting.

A phase change reopens the notebook's context for that phase (its view of the data, its
targets, the settings of its files), exactly as the parameters cell would.
"""

from __future__ import annotations

import ipywidgets as widgets
from IPython.display import display

from ..base.catalogue import EXPLORATION
from ..base.errors import EvaluationError
from ..base.i18n import _
from ..base.markup import render
from . import tables
from .context import Context, open_context
from .display import show
from .explore import Exploration


def choices(ctx: Context) -> dict[str, list[tuple[str, str]]]:
    """The options of the panel's lists: (label, code) of the pairs, RIs and indicators,
    phases."""
    programme = ctx.programme
    selection = []
    for result in programme.results:
        selection.append((f"{result.code} — {result.title}", result.code))
        selection += [(f"    {ind.code} — {ind.label}", ind.code)
                      for ind in programme.indicators_of(result.code)]
    return {"pair": [(p.label, p.code) for p in programme.pairs],
            "indicator": selection,
            "phase": [(f"{ph.label} ({ph.year})", ph.code) for ph in programme.phases_by_year]}


def png_base64(figure) -> str:
    """A figure as a PNG at the style's resolution, base64-encoded (for a download link)."""
    import base64
    import io

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def image_name(pair: str, selection: str, phase: str, period: str) -> str:
    """The file name a saved view gets: ``exploration-forest-jerada-RI3-final-2007-2012.png``."""
    return f"exploration-{pair}-{selection}-{phase}-{period}.png"


class ExplorationPanel:
    """Widgets bound to an exploration: every change redraws its chart and table.

    Parameters
    ----------
    view : Exploration
        Where the panel starts (the parameters cell's values).
    """

    def __init__(self, view: Exploration):
        self.view = view
        self._contexts: dict[tuple[str, str], Context] = {
            (view.ctx.phase.code, view.ctx.pair.code): view.ctx}
        ctx, options = view.ctx, choices(view.ctx)
        # the cell's compare_with (kept when the pair changes), or () for every pair
        self.compare = tuple(view.pairs) if set(view.pairs) != set(ctx.programme.pair_codes) \
            else ()
        self._busy = False
        codes = [code for _, code in options["indicator"]]
        current = view.indicator.ri if len(view.indicators) > 1 else view.indicator.code
        # labels whole (« RI ou indicateur »), controls that wrap within a 1024-pixel screen
        style = {"description_width": "9.5em"}
        wide = widgets.Layout(width="31em", max_width="100%")
        self.pair = widgets.Dropdown(options=options["pair"], value=ctx.pair.code,
                                     description=_("Partenariat"), style=style, layout=wide)
        self.indicator = widgets.Dropdown(options=options["indicator"],
                                          value=current if current in codes else codes[0],
                                          description=_("RI ou indicateur"), style=style,
                                          layout=wide)
        self.phase = widgets.Dropdown(options=options["phase"], value=ctx.phase.code,
                                      description=_("Phase"), style=style, layout=wide)
        self.years = widgets.IntRangeSlider(
            value=(view.years[0], view.years[-1]), min=ctx.programme.baseline_year,
            max=ctx.year, step=1, description=_("Années"), style=style, layout=wide,
            continuous_update=False)
        self.output = widgets.Output()
        self.message = widgets.HTML()
        self.heading = widgets.HTML()
        self.save = widgets.HTML()
        for control in (self.pair, self.indicator, self.phase, self.years):
            control.observe(self._changed, names="value")
        controls = widgets.HBox([widgets.VBox([self.pair, self.indicator]),
                                 widgets.VBox([self.phase, self.years])])
        controls.add_class("maroc-eval-controles")
        self.widget = widgets.VBox([self.heading, controls, self.message, self.output,
                                    self.save])
        self.widget.add_class("maroc-eval-panneau")
        self.redraw()

    def context(self, phase: str, pair: str) -> Context:
        """The notebook's context for another phase or pair (opened once, then kept)."""
        key = (phase, pair)
        if key not in self._contexts:
            ctx = self.view.ctx
            self._contexts[key] = open_context(
                EXPLORATION.stem, phase=phase, pair=pair, programme_file=ctx.programme.source,
                data_dir=ctx.data_dir, output_dir=ctx.output_dir, explicit=ctx.explicit,
                langue=ctx.language)
        return self._contexts[key]

    def _changed(self, _change) -> None:
        if not self._busy:
            self.redraw()

    def redraw(self) -> None:
        """Rebuild the view from the controls and draw its chart and table in the output."""
        self._busy = True
        try:
            self.message.value = ""
            ctx = self.context(self.phase.value, self.pair.value)
            self.years.max = ctx.year  # the phase decides the last year that can be seen
            first, last = self.years.value
            self.view = Exploration(ctx, self.indicator.value, first, last, self.compare)
            self.heading.value = str(render(
                tables.BLOCKS, "panel_title", title=f"{ctx.pair.label} — {self.view.title}",
                detail=_("{phase} ({year}) : années {period}, comparées aux autres "
                         "partenariats.").format(phase=ctx.phase.label, year=ctx.phase.year,
                                                period=self.view.period)))
            figure = self.view.figure()
            self.save.value = str(render(
                tables.BLOCKS, "image_download", data=png_base64(figure),
                filename=image_name(ctx.pair.code, self.indicator.value, ctx.phase.code,
                                    self.view.period),
                text=_("Enregistrer l’image (PNG) pour le compte rendu")))
            self.output.clear_output(wait=True)
            with self.output:
                show(figure)
                show(self.view.summary())
        except EvaluationError as exc:
            self.message.value = str(tables.notice(" ".join(exc.messages()), "attention"))
        finally:
            self._busy = False

    def show(self) -> None:
        """Display the panel."""
        display(self.widget)
