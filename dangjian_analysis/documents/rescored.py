"""Re-scored years said: last year's figures as last year's report gave them, and as now computed.

When the catalogue changes between two reports (a weight, a goalpost, a grade band), the figures
of the earlier year change with it, and this year's report compares with the new ones. The
committee remembers the old ones. :func:`rescored_sentences` reads last year's report folder
(its ``manifest.json`` and ``data/scores.csv``) and, when its catalogue hash differs from this
year's, says which figures the re-scoring changed. :func:`find_previous_report` looks for that
folder beside this report's output folder.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

__all__ = ["rescored_sentences", "find_previous_report"]

_OVERALL = "综合指数"


def _report_year(folder: Path, manifest: dict) -> int | None:
    year = manifest.get("report_year") or manifest.get("parameters", {}).get("year")
    if year is None and (folder / "data" / "scores.csv").exists():
        years = pd.read_csv(folder / "data" / "scores.csv", usecols=["年度"], encoding="utf-8-sig")["年度"]
        year = int(years.max()) if len(years) else None
    return int(year) if year is not None else None


def find_previous_report(out: str | Path, year: int) -> Path | None:
    """A report folder beside ``out`` (a sibling holding ``manifest.json``) whose report is of
    ``year``; None when there is none. The most recently named one wins when there are several."""
    out = Path(out).resolve()
    if not out.parent.is_dir():
        return None
    found = []
    for folder in sorted(out.parent.iterdir()):
        manifest = folder / "manifest.json"
        if folder.resolve() == out or folder.name.startswith(".") or not manifest.is_file():
            continue
        try:
            if _report_year(folder, json.loads(manifest.read_text("utf-8"))) == year:
                found.append(folder)
        except (ValueError, KeyError, OSError):
            continue                                  # not one of our reports, or damaged: not used
    return found[-1] if found else None


def rescored_sentences(scores: pd.DataFrame, catalog, previous: str | Path) -> list[str]:
    """Sentences saying how the re-scoring changed the figures of the year ``previous`` reported.

    ``scores``: this report's ``score_composite`` (all years), computed with ``catalog``. Empty
    when that report used the same catalogue (same SHA-256) or has no year ``scores`` has.
    Compared: the county mean of the overall index and each township's overall index and rank
    (rounded to one decimal as the reports print them).

    Raises
    ------
    ValueError
        ``previous`` is not a report folder (no manifest.json or data/scores.csv).
    """
    folder = Path(previous)
    manifest_path, scores_path = folder / "manifest.json", folder / "data" / "scores.csv"
    if not manifest_path.is_file() or not scores_path.is_file():
        raise ValueError(f"{folder} 不是 dangjian report 生成的报告文件夹（没有 manifest.json 或 data/scores.csv）")
    manifest = json.loads(manifest_path.read_text("utf-8"))
    if manifest.get("catalog", {}).get("sha256") == catalog.sha256:
        return []
    year = _report_year(folder, manifest)
    old = pd.read_csv(scores_path, encoding="utf-8-sig")
    old = old[(old["年度"] == year) & (old["分项"] == _OVERALL)].set_index("单位")
    new = scores[(scores["year"] == year) & (scores["group"] == "overall")].set_index("unit_name")
    both = [u for u in new.index if u in old.index]
    if not both:
        return []
    was, now = old.loc[both, "得分"].astype(float), new.loc[both, "score"].astype(float)
    mean_was, mean_now = round(was.mean(), 1), round(now.mean(), 1)
    out = []
    if mean_was != mean_now:
        out.append(f"按本年指标体系重算：{year}年全县乡镇综合指数平均原报告为 {mean_was:.1f} 分，现为 {mean_now:.1f} 分"
                   "（本报告与上年的比较都用重算后的数）。")
    changed = [u for u in both if round(was[u], 1) != round(now[u], 1)]
    moved = [f"{u}（第 {int(old.loc[u, '名次'])} 名 → 第 {int(new.loc[u, 'rank'])} 名）" for u in both
             if int(old.loc[u, "名次"]) != int(new.loc[u, "rank"])]
    if changed:
        out.append(f"{year}年 {len(changed)} 个乡镇的综合指数因重算而变化（最多 "
                   f"{max(abs(now[u] - was[u]) for u in changed):.1f} 分）"
                   + (f"，名次变化的有：{'、'.join(moved)}。" if moved else "，名次没有变化。"))
    return out
