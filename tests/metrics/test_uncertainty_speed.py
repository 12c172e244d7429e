"""rank_uncertainty's fast paths give what the plain call gives: precomputed ``scores=``, the
indicator→group membership from one lookup, ranks by pairs or by sorting, percentiles without
NaN. Speed itself is measured in benchmarks/bench_uncertainty.py, never here."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import dangjian_analysis as dj
from dangjian_analysis.catalog import Catalog
from dangjian_analysis.metrics import uncertainty
from dangjian_analysis.metrics.uncertainty import _PAIRWISE, _percentiles, _rank_min_desc

from mini import mini_observations

pytestmark = pytest.mark.usefixtures("quiet")


@pytest.mark.parametrize("options", [{}, {"spread": 0.5, "seed": 3}, {"level": "village"},
                                     {"missing": "renormalise"}, {"methods": ["goalposts", "minmax", "rank"]}])
def test_precomputed_scores_give_the_same_result(sample_loaded, options):
    nominal = dj.score_composite(sample_loaded, level=options.get("level", "township"),
                                 missing=options.get("missing"))
    plain = dj.rank_uncertainty(sample_loaded, draws=100, **options)
    given = dj.rank_uncertainty(sample_loaded, draws=100, scores=nominal, **options)
    pd.testing.assert_frame_equal(given, plain)
    assert given.equals(plain)


def test_precomputed_scores_with_weights_on_the_mini_catalogue(cat):
    weights = {"a": 0.2, "b": 0.8}
    nominal = dj.score_composite(mini_observations(), cat, weights=weights)
    plain = dj.rank_uncertainty(mini_observations(), cat, draws=50, weights=weights)
    assert dj.rank_uncertainty(mini_observations(), cat, draws=50, weights=weights, scores=nominal).equals(plain)


def test_given_scores_are_used_not_recomputed(sample_loaded, monkeypatch):
    nominal = dj.score_composite(sample_loaded)
    expected = dj.rank_uncertainty(sample_loaded, draws=50)

    def refuse(*args, **kwargs):
        raise AssertionError("score_composite called although scores were given")

    monkeypatch.setattr(uncertainty, "score_composite", refuse)
    assert dj.rank_uncertainty(sample_loaded, draws=50, scores=nominal).equals(expected)
    bare = nominal.copy()
    bare.attrs = {}                       # a table without its record (e.g. read back from a file)
    assert dj.rank_uncertainty(sample_loaded, draws=50, scores=bare).equals(expected)


def test_no_lookup_per_indicator(sample_loaded, monkeypatch):
    """The indicator × group matrix comes from one table, not one catalogue look-up per pair."""
    expected = dj.rank_uncertainty(sample_loaded, draws=30)

    def refuse(self, indicator_id):
        raise AssertionError("Catalog.indicator called per indicator")

    monkeypatch.setattr(Catalog, "indicator", refuse)
    assert dj.rank_uncertainty(sample_loaded, draws=30).equals(expected)


@pytest.mark.parametrize("mismatch, words", [
    (lambda ds: dj.score_composite(ds, method="minmax"), ["method", "minmax", "goalposts"]),
    (lambda ds: dj.score_composite(ds, missing="renormalise"), ["missing", "renormalise"]),
    (lambda ds: dj.score_composite(ds, weights={"demo": 0.5}), ["weights 不同"]),
    (lambda ds: dj.score_composite(ds).query("year == 2015"), ["scores 中没有", "2012年", "所有年度"]),
    (lambda ds: dj.ranking_table(dj.score_composite(ds)), ["缺少列", "score_composite"]),
    (lambda ds: "scores", ["需要", "score_composite"]),
])
def test_scores_of_another_computation_are_refused(sample_loaded, mismatch, words):
    with pytest.raises(ValueError) as info:
        dj.rank_uncertainty(sample_loaded, draws=10, scores=mismatch(sample_loaded))
    for word in words:
        assert word in str(info.value), str(info.value)


@pytest.mark.parametrize("n", [1, 4, _PAIRWISE, _PAIRWISE + 1, 127])
def test_both_ways_of_ranking_match_pandas(n):
    """Pairwise comparison (up to _PAIRWISE units) and sorting: rank 1 highest, ties sharing
    the lowest rank, NaN unranked — as pandas' rank(method="min", ascending=False)."""
    rng = np.random.default_rng(n)
    values = np.round(rng.random((n, 300)) * 5) * 0.1       # few distinct values: many ties
    values[rng.random(values.shape) < 0.1] = np.nan
    values[:, 0] = np.nan                                      # a draw ranking nobody
    expected = pd.DataFrame(values).rank(method="min", ascending=False).to_numpy()
    np.testing.assert_array_equal(_rank_min_desc(values), expected)
    np.testing.assert_array_equal(_rank_min_desc(-values), pd.DataFrame(values).rank(method="min").to_numpy())


def test_percentiles_as_numpy_nanpercentile():
    ranks = np.array([[1.0, 2, 2, 3], [4, np.nan, 1, 2], [np.nan] * 4, [2, 2, 2, 2]])
    got = _percentiles(ranks, [50, 5, 95])
    with np.errstate(all="ignore"), pytest.warns(RuntimeWarning):
        expected = np.nanpercentile(ranks, [50, 5, 95], axis=1)
    np.testing.assert_array_equal(np.array(got), expected)
