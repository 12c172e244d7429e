"""The slide theme: a bundled Chinese font, 16:9 figures sized for a projector, fixed colours.

``slide_theme()`` works as a function (it applies the theme) and as a context manager
(the previous settings come back on exit), like seaborn's ``plotting_context``::

    with slide_theme():
        fig = plot_ranking(scores)

The font is Noto Sans CJK SC (SIL Open Font License, ``fonts/OFL.txt``), shipped inside
the package under its own family name, "Dangjian Noto Sans SC", and registered with
matplotlib on first use, so that charts look the same on any machine whatever fonts it
has (a system copy of Noto CJK can never be picked instead).
"""

from __future__ import annotations

from importlib import resources

__all__ = ["slide_theme", "register_fonts", "FONT_FAMILY", "GRADE_COLORS", "PALETTE", "SLIDE_SIZE",
           "ACCENT", "NEUTRAL"]

FONT_FAMILY = "Dangjian Noto Sans SC"
#: 16:9 slide size in inches (PowerPoint's default widescreen).
SLIDE_SIZE = (13.333, 7.5)
#: Fixed grade colours, a blue–red diverging ramp that colour-blind readers can tell apart.
GRADE_COLORS = {"好": "#2166AC", "较好": "#67A9CF", "一般": "#F4A582", "差": "#B2182B"}
#: Okabe–Ito categorical colours (colour-blind safe; the yellow darkened to read on white),
#: extended to ten with two of Paul Tol's muted colours.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#B8A100", "#000000",
           "#882255", "#44AA99"]
ACCENT, NEUTRAL = "#B22222", "#7F7F7F"
_registered = False


def register_fonts() -> str:
    """Register the bundled Noto Sans CJK SC (Regular, Bold) with matplotlib; returns the family."""
    global _registered
    if not _registered:
        from matplotlib import font_manager

        folder = resources.files("dangjian_analysis.charts").joinpath("fonts")
        for name in ("DangjianNotoSansSC-Regular.otf", "DangjianNotoSansSC-Bold.otf"):
            font_manager.fontManager.addfont(str(folder.joinpath(name)))
        _registered = True
    return FONT_FAMILY


def _rc() -> dict:
    from matplotlib import cycler

    return {
        "font.family": [FONT_FAMILY],
        "font.sans-serif": [FONT_FAMILY, "DejaVu Sans"],
        "axes.unicode_minus": True,               # the font has U+2212 MINUS SIGN
        "figure.figsize": SLIDE_SIZE,
        "figure.dpi": 100,
        "savefig.dpi": 200,
        "figure.titlesize": 24,
        "figure.titleweight": "bold",
        "axes.titlesize": 24,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.titlepad": 14,
        "axes.labelsize": 18,
        "xtick.labelsize": 16,
        "ytick.labelsize": 16,
        "legend.fontsize": 15,
        "legend.title_fontsize": 15,
        "legend.frameon": False,
        "font.size": 16,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.edgecolor": "#4D4D4D",
        "axes.linewidth": 1.2,
        "axes.grid": False,
        "grid.color": "#DDDDDD",
        "grid.linewidth": 0.8,
        "axes.prop_cycle": cycler(color=PALETTE),
        "lines.linewidth": 3,
        "lines.markersize": 8,
        "figure.constrained_layout.use": True,
        "svg.hashsalt": "dangjian-analysis",
        "svg.fonttype": "path",
        "path.simplify": True,
        "image.cmap": "RdBu",
    }


class _Theme:
    """Applied on creation; restores the previous rcParams when used as a context manager."""

    def __init__(self, overrides: dict | None):
        import matplotlib as mpl

        register_fonts()
        self._previous = {k: mpl.rcParams[k] for k in _rc()}
        if overrides:
            self._previous.update({k: mpl.rcParams[k] for k in overrides})
        mpl.rcParams.update({**_rc(), **(overrides or {})})

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        import matplotlib as mpl

        mpl.rcParams.update(self._previous)
        return False


def slide_theme(**overrides) -> _Theme:
    """Apply the slide theme (16:9, titles 24 pt, labels 16–18 pt, Chinese font, no chart junk).

    Use it as a function (the theme stays on) or in a ``with`` block (it is undone at the
    end). Keyword arguments override rcParams, e.g. ``slide_theme(**{"font.size": 18})``.
    """
    return _Theme(overrides)
