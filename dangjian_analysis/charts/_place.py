"""Private placement helpers of the charts: value labels clear of reference lines, radar scale
labels clear of the polygons.

Both work before the figure is laid out, from text widths in points
(:func:`._text.text_width`) and the axes' size before constrained layout, with a safety
margin; the tests check the drawn result.
"""

from __future__ import annotations

import numpy as np

__all__ = ["clear_of", "value_label_slot", "radar_scale_angle"]


def clear_of(lo: float, hi: float, lines, margin: float) -> bool:
    """True when no x in ``lines`` lies within [``lo`` − ``margin``, ``hi`` + ``margin``]."""
    return all(not (lo - margin <= x <= hi + margin) for x in lines)


def value_label_slot(end: float, width: float, lines, *, pad: float, margin: float,
                     floor: float = 0.0) -> tuple[float, str, bool]:
    """Where to write the value of a bar ending at ``end`` so that no reference line in
    ``lines`` runs through it: ``(x, ha, inside)``.

    Tried in order: just right of the bar end; just inside the bar end (when the bar is
    long enough, ``inside`` True: write it in the bar's text colour); right of the reference
    lines. ``width`` is the label's width, ``pad`` the gap to the bar end and ``margin`` the
    clearance to a line, all in data units.
    """
    if clear_of(end + pad, end + pad + width, lines, margin):
        return end + pad, "left", False
    if end - pad - width >= floor + pad and clear_of(end - pad - width, end - pad, lines, margin):
        return end - pad, "right", True
    return max(lines) + margin + pad, "left", False


def _distance(points: np.ndarray, path: np.ndarray) -> np.ndarray:
    """Distance from each of ``points`` (n × 2) to the closed polyline ``path`` (m × 2)."""
    a, b = path[:-1], path[1:]
    d = b - a
    length = np.maximum((d ** 2).sum(axis=1), 1e-12)
    t = np.clip(((points[:, None, :] - a[None]) * d[None]).sum(axis=2) / length, 0, 1)
    nearest = a[None] + t[..., None] * d[None]
    return np.sqrt(((points[:, None, :] - nearest) ** 2).sum(axis=2)).min(axis=1)


def radar_scale_angle(angles, polygons, radii, sizes, *, scale: float, margin: float = 4.0):
    """The angle (radians, midway between two axes) at which to write the radar's scale
    (``radii``) so that the polygons cross the fewest of its labels, and the radii whose
    label would still touch a polygon there (to be left out).

    Parameters
    ----------
    angles : array
        The axes' angles (radians, increasing).
    polygons : list of arrays
        The values drawn, one per axis, for each polygon.
    radii : list of float
        Where the scale labels go.
    sizes : list of (float, float)
        Width and height of each label in points.
    scale : float
        Points per data unit of radius.
    margin : float
        Clearance in points around each label.

    Returns
    -------
    (float, set)
    """
    from matplotlib.path import Path
    from matplotlib.transforms import Bbox

    angles = np.asarray(angles, dtype=float)
    closed = np.append(angles, angles[0] + 2 * np.pi)
    paths = []
    for values in polygons:
        r = np.append(np.asarray(values, dtype=float), values[0]) * scale
        paths.append(np.column_stack([r * np.cos(closed), r * np.sin(closed)]))
    best = None
    for k in range(len(angles)):
        phi = (closed[k] + closed[k + 1]) / 2
        centres = np.array([[r * scale * np.cos(phi), r * scale * np.sin(phi)] for r in radii])
        hits = set()
        for r, (x, y), (w, h) in zip(radii, centres, sizes):
            box = Bbox.from_extents(x - w / 2 - margin, y - h / 2 - margin, x + w / 2 + margin, y + h / 2 + margin)
            if any(Path(p).intersects_bbox(box, filled=False) for p in paths):
                hits.add(r)
        room = min(_distance(centres, p).min() for p in paths)
        key = (len(hits), -room)
        if best is None or key < best[0]:
            best = (key, phi, hits)
    return best[1], best[2]
