"""Showing results in a notebook: figures as compact PNG with a text alternative, HTML fragments.

Every section a notebook calls displays itself through :func:`show`; nothing else of the package
talks to IPython's display machinery.
"""

from __future__ import annotations

from ..base.i18n import _


def show(obj) -> None:
    """Display a figure as one PNG (then close it, to free memory) or an HTML fragment.

    A figure is rendered once here, at the style's resolution, rather than by the inline
    backend (whose ``bbox_inches="tight"`` draws every figure twice), then stored as a
    256-colour PNG: charts lose nothing visible and reports stay about four times smaller. Its
    titles go with it as the image's text alternative (:func:`figure_text`).
    """
    import io

    import matplotlib.pyplot as plt
    from IPython.display import Image, display
    from matplotlib.figure import Figure
    from PIL import Image as PILImage

    if isinstance(obj, Figure):
        buffer = io.BytesIO()
        obj.savefig(buffer, format="png")
        plt.close(obj)
        image = PILImage.open(io.BytesIO(buffer.getvalue())).convert("RGB")
        small = io.BytesIO()
        image.quantize(colors=256, method=PILImage.Quantize.FASTOCTREE).save(small, format="PNG")
        display(Image(data=small.getvalue(), format="png", metadata={"alt": figure_text(obj)}))
    else:
        display(obj)


def figure_text(fig) -> str:
    """A figure's text alternative (reports' ``alt``): its titles, else « Graphique »."""
    titles = [fig._suptitle.get_text()] if getattr(fig, "_suptitle", None) else []
    titles += [ax.get_title(loc) for ax in fig.axes for loc in ("left", "center")]
    found = [" ".join(t.split()) for t in titles if t and t.strip()]
    return " ; ".join(dict.fromkeys(found)) or _("Graphique")
