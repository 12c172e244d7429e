"""The 晋位升级 chart: the grade-transition matrix with the units named in its cells
(re-exported by :mod:`.trends`)."""

from __future__ import annotations

import pandas as pd

from ..metrics._frames import flags
from ._base import chart_title, finish, footnote, marked, new_axes, text_color, themed

__all__ = ["plot_transitions"]

#: Point size of the unit names in the cells.
_NAME_SIZE = 13


@themed
def plot_transitions(transitions, *, ax=None):
    """The grade-transition matrix (晋位升级) of :func:`~dangjian_analysis.grade_transitions`:
    in each cell the number of units and their names (from ``transitions.units``).

    Units provisional in either year (``transitions.units["provisional"]``) carry ``*``
    after their names and are named in a footnote (待核实). A cell with more names than fit
    lists the first ones and the count (“…等 12 个”).

    Parameters
    ----------
    transitions : Transitions

    Returns
    -------
    Figure (``ax=None``) or Axes
    """
    if not (hasattr(transitions, "matrix") and hasattr(transitions, "counts")):
        raise ValueError(f"需要 grade_transitions 的结果（Transitions），实际为 {type(transitions).__name__}")
    matrix = transitions.matrix
    units = getattr(transitions, "units", None)
    units = units if isinstance(units, pd.DataFrame) and {"unit_name", "grade_from", "grade_to"} <= set(units) \
        else None
    held = {}
    if units is not None and "provisional" in units.columns:
        rows = units[flags(units["provisional"])]
        held = {n: f"{a}→{b}" for n, a, b in zip(rows["unit_name"], rows["grade_from"], rows["grade_to"])}
    fig, ax, figure_level = new_axes(ax)
    image = ax.imshow(matrix.to_numpy(dtype=float), cmap="Blues", vmin=0, vmax=max(1, matrix.to_numpy().max()),
                      aspect="auto" if units is not None else "equal")
    n_rows, n_cols = matrix.shape
    pos = ax.get_position()
    cell = (pos.width * fig.get_figwidth() * 72 / n_cols, pos.height * fig.get_figheight() * 72 / n_rows)
    for i in range(n_rows):
        for j in range(n_cols):
            value = matrix.iat[i, j]
            color = "#BBBBBB" if value == 0 else text_color(image.cmap(image.norm(value)))
            names = [] if units is None else [
                marked(u, held) for u in units.loc[(units["grade_from"] == matrix.index[i]) &
                                                   (units["grade_to"] == matrix.columns[j]), "unit_name"]]
            if not names:
                ax.text(j, i, str(int(value)), ha="center", va="center", fontsize=22 if value else 16, color=color)
                continue
            ax.text(j, i - 0.06, str(int(value)), ha="center", va="bottom", fontsize=22, color=color)
            ax.text(j, i - 0.02, _name_block(names, cell), ha="center", va="top", fontsize=_NAME_SIZE, color=color,
                    linespacing=1.25, gid="unit-names")
    ax.set_xticks(range(n_cols), matrix.columns)
    ax.set_yticks(range(n_rows), matrix.index)
    ax.set_xlabel(f"{matrix.columns.name}（对角线左下方为升级，右上方为降级）", labelpad=12)
    ax.set_ylabel(matrix.index.name, labelpad=16)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    c = transitions.counts
    chart_title(fig, ax, figure_level, f"晋位升级：升级 {c['up']} 个，持平 {c['same']} 个，降级 {c['down']} 个", pad=16)
    footnote(fig, ax, figure_level, held)
    return finish(fig, ax, figure_level)


def _name_block(names: list[str], cell: tuple[float, float]) -> str:
    """``names`` joined with 、 into lines that fit a cell of ``cell`` (width, height) points
    (in its lower half); the last line ends “等 N 个” when not all fit."""
    from ._text import text_width

    width, height = cell[0] * 0.88, cell[1] * 0.5 - 6
    most = max(1, int(height // (_NAME_SIZE * 1.25)))
    lines: list[str] = []
    for name in names:
        if lines and text_width(f"{lines[-1]}、{name}", _NAME_SIZE) <= width:
            lines[-1] += f"、{name}"
        elif len(lines) < most:
            lines.append(name)
        else:
            return _with_count(lines, len(names), width)
    return "\n".join(lines)


def _with_count(lines: list[str], total: int, width: float) -> str:
    """``lines`` with the last shortened until “…等 N 个” fits."""
    from ._text import text_width

    tail = f"等 {total} 个"
    last = lines[-1].split("、")
    while len(last) > 1 and text_width("、".join(last) + tail, _NAME_SIZE) > width:
        last.pop()
    lines[-1] = "、".join(last) + tail
    return "\n".join(lines)
