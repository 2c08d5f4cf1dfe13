"""One figure style for the whole book: light background, colour-blind-safe colours.

The palette is Okabe and Ito's (2008), which stays distinguishable under the common forms of
colour blindness; lines also differ in style or marker so that nothing depends on colour alone.
"""

import io

import matplotlib

import matplotlib.pyplot as plt

COLORS = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#7F7F7F",
}
"""Okabe–Ito colours by name."""

ROLE = {
    "train": COLORS["blue"],
    "test": COLORS["vermillion"],
    "truth": COLORS["black"],
    "fit": COLORS["orange"],
    "bias": COLORS["green"],
    "variance": COLORS["purple"],
    "noise": COLORS["grey"],
}
"""The colour of each recurring role, so that 'test error' looks the same in every chapter."""

BOOK_STYLE = {
    "figure.figsize": (6.4, 3.6),
    "figure.dpi": 100,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "axes.edgecolor": "#333333",
    "axes.grid": True,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    # A fixed title position skips a layout pass that costs about a third of each explorer frame.
    "axes.titley": 1.0,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "lines.linewidth": 1.8,
    "savefig.bbox": "tight",
    "axes.prop_cycle": matplotlib.cycler(color=[COLORS[c] for c in (
        "blue", "vermillion", "green", "orange", "purple", "sky", "black")]),
}


def use_book_style():
    """Apply the book's matplotlib style to every later figure in this process."""
    plt.rcParams.update(BOOK_STYLE)


def figure_to_png(fig, dpi=80, colors=None):
    """Render ``fig`` to PNG bytes and close it.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    dpi : int, default 80
    colors : int or None
        If given, quantise to a palette of at most this many colours, which shrinks the flat-coloured
        plots of the book's explorer frames by a factor of about three.
    """
    from matplotlib.figure import Figure

    from regbook._validation import check_scalar

    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    dpi = check_scalar(dpi, "dpi", low=10, integer=True)
    if colors is not None:
        colors = check_scalar(colors, "colors", low=2, high=256, integer=True)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    plt.close(fig)
    if colors is None:
        return buffer.getvalue()
    from PIL import Image

    image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    quantised = image.quantize(colors=colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    quantised.save(out, format="PNG", optimize=True)
    return out.getvalue()
