"""The fictional sample county: determinism, the committed copy, and the stories it tells."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from dangjian_analysis.sample import make_sample, write_sample


@pytest.fixture(scope="module")
def sample(catalog):
    return make_sample(catalog)


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_run_in_a_fresh_process_is_byte_identical_to_the_committed_sample(tmp_path, sample_dir, sample_csv_dir):
    """The committed files were written by another process (another day): one fresh run must
    give the same bytes."""
    subprocess.run([sys.executable, "-m", "dangjian_analysis.cli", "sample", "--out", str(tmp_path / "a"),
                    "--csv", str(tmp_path / "a" / "csv")], check=True, capture_output=True)
    fresh = _tree(tmp_path / "a")
    committed = {**_tree(sample_dir), **{f"csv/{k}": v for k, v in _tree(sample_csv_dir).items()}}
    assert len(fresh) == 48 and fresh == committed      # 11 workbooks, 报告文字.docx, 36 CSVs


def test_committed_sample_equals_a_fresh_run(tmp_path, sample_dir, sample_csv_dir):
    write_sample(tmp_path / "sample", csv_dir=tmp_path / "sample_csv")
    stale = "data/sample is stale: run `dangjian sample --out data/sample --csv data/sample_csv`"
    assert _tree(tmp_path / "sample") == _tree(sample_dir), stale
    assert _tree(tmp_path / "sample_csv") == _tree(sample_csv_dir), stale


def test_layout(sample_dir, sample_csv_dir):
    names = {p.name for p in sample_dir.iterdir()}
    assert len(names) == 12 and "县级数据.xlsx" in names and "东山镇.xlsx" in names   # only what an analyst receives
    assert "报告文字.docx" in names                                                   # and the analyst's own words
    assert len(list(sample_csv_dir.glob("*.csv"))) == 36
    assert "虚构" in (sample_dir.parent / "README.md").read_text("utf-8")


def _values(sample, indicator):
    obs = sample.observations
    return obs[obs["indicator"] == indicator]


def test_seven_to_thirteen_villages_listed_each_year_with_their_causes(sample):
    listed = _values(sample, "weak_listed")
    per_year = listed.groupby("year")["value"].sum()
    assert per_year.between(7, 13).all()
    obs = sample.observations.pivot_table(index=["unit_id", "year"], columns="indicator", values="value")
    weak, rest = obs[obs["weak_listed"] == 1], obs[obs["weak_listed"] == 0]
    assert weak["satisfaction"].mean() < rest["satisfaction"].mean() - 10
    assert (weak["vacancy_months"] > 3).mean() > 3 * (rest["vacancy_months"] > 3).mean()
    assert (weak["new_members"] == 0).mean() > 2 * (rest["new_members"] == 0).mean()


def test_trajectories_toward_2015_targets_with_a_lagging_tail(sample):
    funds = _values(sample, "office_funds").groupby("year")["value"]
    met = funds.apply(lambda v: (v >= 5).mean())
    assert met.is_monotonic_increasing and met[2012] < 0.05 and 0.55 < met[2015] < 0.95
    allowance = _values(sample, "cadre_allowance")
    share_2015 = (allowance[allowance["year"] == 2015]["value"] >= 2000).mean()
    assert 0.5 < share_2015 < 0.95


def test_2014_election_step(sample):
    age = _values(sample, "committee_age").groupby("year")["value"].mean()
    edu = _values(sample, "committee_edu").groupby("year")["value"].mean()
    assert age[2013] - age[2014] > 3 and abs(age[2013] - age[2012]) < 1.5
    assert edu[2014] - edu[2013] > 10


def test_feature_output_is_right_skewed_with_two_leaders(sample):
    out = _values(sample, "feature_output")
    y2015 = out[out["year"] == 2015].set_index("unit_name")["value"].sort_values(ascending=False)
    assert set(y2015.index[:2]) == {"东山镇", "金谷镇"}
    assert y2015.iloc[1] > 2 * y2015.median() and y2015.mean() > y2015.median()


def test_ballots_mostly_good_with_two_weak_secretaries(sample):
    # the last year's 党员群众代表 voted on 测评票 (one row a ballot): counted here as tallies
    sheets = sample.ballot_sheets.groupby(["year", "secretary", "rater_group", "item", "rating"]).size()
    b = pd.concat([sample.ballots, sheets.rename("count").reset_index()], ignore_index=True)
    overall = b[b["item"] == "总体评价"]
    per = overall.groupby(["year", "secretary"])["count"].sum()
    assert per.between(140, 160).all()
    tally = overall.pivot_table(index=["year", "secretary"], columns="rating", values="count", aggfunc="sum")
    valid = tally[["好", "较好", "一般", "差"]].sum(axis=1)
    low = (tally["一般"] + tally["差"]) / valid
    weak = low[low >= 0.25]
    assert set(weak.index.get_level_values("secretary")) == {"周志强", "朱振华"}
    assert weak.between(0.25, 0.40).all()
    assert ((tally["好"] + tally["较好"]) / valid).median() > 0.85
    assert tally["不了解"].sum() > 0 and tally["空白"].sum() > 0


def test_ledger_and_links(sample, catalog):
    links = sample.links
    per_team = links[links["year"] == 2015].groupby("leader_team")["village"].nunique()
    assert per_team.between(1, 2).all()
    assert links[links["year"] == 2015]["village"].nunique() == 127
    ledger = sample.ledger
    assert set(ledger["status"]) == {"已销号", "逾期销号", "整改中"}
    assert (ledger["due"] >= ledger["opened"]).all()
    assert ledger.loc[ledger["status"] == "整改中", "closed"].isna().all()
