"""述职评议 chart: diverging stacked bars of the ratings per secretary."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._base import chart_title, finish, grade_colors, latest_year, new_axes, text_color, themed
from ..metrics._lookup import catalog_from, need_columns

__all__ = ["plot_review"]


@themed
def plot_review(review: pd.DataFrame, year: int | None = None, *, ax=None, catalog=None):
    """Shares of each rating per secretary (overall rows of :func:`~dangjian_analysis.review`):
    the lower half of the ratings left of zero, the upper half right, sorted by 好评率.

    Shares are of valid votes; ratings are ordinal, so the whole distribution is drawn
    rather than a mean. The ratings and their order are the catalogue's (the one given,
    else the one the review table carries, else the default), coloured best to worst on
    the grade ramp.

    Parameters
    ----------
    review : DataFrame
        Output of :func:`~dangjian_analysis.review`.
    year : int, optional
        Default: the latest year in ``review``.

    Returns
    -------
    Figure (``ax=None``) or Axes
    """
    from matplotlib.ticker import FuncFormatter

    cat = catalog_from(catalog, review)
    ratings = list(cat.review.ratings["rating"])            # best first: 好 较好 一般 差
    need_columns(review, ["year", "rater_group", "secretary", "unit_name", "valid", "good_rate", "top_rate",
                          *ratings], "review 的输出（按本指标体系的评价档次计票）")
    year = latest_year(review, year)
    data = review[(review["year"] == year) & (review["rater_group"] == "overall")].copy()
    data = data.sort_values(["good_rate", "top_rate"], ascending=True)
    share = data[ratings].div(data["valid"], axis=0) * 100
    colors = grade_colors(ratings)
    fig, ax, figure_level = new_axes(ax)
    y = np.arange(len(data))
    labels = [f"{s}（{u}）" for s, u in zip(data["secretary"], data["unit_name"])]
    half = len(ratings) // 2
    upper, lower = ratings[:half][::-1], ratings[half:]      # 较好 then 好 to the right; 一般 then 差 to the left
    for side, order in ((1, upper), (-1, lower)):
        start = np.zeros(len(data))
        for rating in order:
            width = share[rating].to_numpy()
            bars = ax.barh(y, side * width, left=side * start, color=colors[rating], height=0.72, label=rating)
            for bar, w, s in zip(bars, width, start):
                if w >= 6:
                    ax.text(side * (s + w / 2), bar.get_y() + bar.get_height() / 2, f"{w:.0f}", ha="center",
                            va="center", fontsize=11, color=text_color(bar.get_facecolor()))
            start = start + width
    ax.axvline(0, color="black", linewidth=1.2)
    ax.set_yticks(y, labels, fontsize=13)
    left = float(share[lower].sum(axis=1).max()) if len(share) else 0.0
    ax.set_xlim(-10 * np.ceil(left / 10 + 0.5), 100)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{abs(v):.0f}%"))
    ax.set_xlabel(f"占有效票的比例（左：{'、'.join(lower)}；右：{'、'.join(upper)}）")
    ax.tick_params(axis="y", length=0)
    handles, names = ax.get_legend_handles_labels()
    by_name = dict(zip(names, handles))
    ax.legend([by_name[r] for r in ratings if r in by_name], [r for r in ratings if r in by_name],
              loc="upper left", ncols=2, title="评价")
    chart_title(fig, ax, figure_level, f"{year}年度党（工）委书记述职评议：评价分布")
    return finish(fig, ax, figure_level)
