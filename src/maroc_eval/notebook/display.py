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
    from IPython.display import Image, display
    from matplotlib.figure import Figure

    if isinstance(obj, Figure):
        display(Image(data=figure_png(obj), format="png", metadata={"alt": figure_text(obj)}))
    else:
        display(obj)


def figure_png(fig) -> bytes:
    """``fig`` as a 256-colour PNG at the style's resolution; the figure is closed.

    The figure is drawn once into raw RGBA pixels (matplotlib's ``rgba`` format), which are
    quantised and encoded once: no full-colour PNG is encoded and decoded on the way.
    """
    import io

    import matplotlib as mpl
    import matplotlib.pyplot as plt
    from PIL import Image as PILImage

    dpi = mpl.rcParams["savefig.dpi"]
    dpi = fig.dpi if dpi == "figure" else dpi
    pixels = io.BytesIO()
    fig.savefig(pixels, format="rgba", dpi=dpi)
    width = int(fig.get_figwidth() * dpi)  # as Agg sizes its canvas (truncated)
    plt.close(fig)
    data = pixels.getbuffer()
    image = PILImage.frombuffer("RGBA", (width, len(data) // (4 * width)), data, "raw",
                                "RGBA", 0, 1).convert("RGB")
    small = io.BytesIO()
    image.quantize(colors=256, method=PILImage.Quantize.FASTOCTREE).save(small, format="PNG")
    return small.getvalue()


def figure_text(fig) -> str:
    """A figure's text alternative (reports' ``alt``): its titles, else « Graphique »."""
    titles = [fig.get_suptitle()]
    titles += [ax.get_title(loc) for ax in fig.axes for loc in ("left", "center")]
    found = [" ".join(t.split()) for t in titles if t and t.strip()]
    return " ; ".join(dict.fromkeys(found)) or _("Graphique")
