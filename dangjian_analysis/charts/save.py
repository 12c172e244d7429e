"""Chart files for slides: PNG (and SVG) that carry no dates, byte-identical across runs.

PNG and SVG are written without dates or software stamps; SVG ids use a fixed salt
(set by :func:`~dangjian_analysis.charts.theme.slide_theme`).
"""

from __future__ import annotations

import io
from pathlib import Path

__all__ = ["save_chart", "png_bytes"]


def save_chart(fig, path: str | Path, *, dpi: int = 200) -> list[Path]:
    """Write ``fig`` as ``<path>.png`` (``dpi``, default 200) and ``<path>.svg``; returns both paths."""
    from .theme import slide_theme

    path = Path(path)
    stem = path.with_suffix("") if path.suffix.lower() in (".png", ".svg") else path
    stem.parent.mkdir(parents=True, exist_ok=True)
    png, svg = stem.with_name(stem.name + ".png"), stem.with_name(stem.name + ".svg")
    with slide_theme():
        fig.savefig(png, dpi=dpi, metadata={"Software": None})
        fig.savefig(svg, metadata={"Date": None, "Creator": None})
    return [png, svg]


def png_bytes(fig, *, dpi: int = 200) -> bytes:
    """``fig`` as PNG bytes at ``dpi`` (default 200), without a software stamp."""
    from .theme import slide_theme

    buffer = io.BytesIO()
    with slide_theme():
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()
