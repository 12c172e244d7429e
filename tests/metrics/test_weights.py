"""Entropy, CRITIC, TOPSIS and AHP against published worked examples (sources cited per test) and
hand-worked cases of the conventions: standardised entropy, flat CRITIC columns, weights by label."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from dangjian_analysis import ahp_weights, critic_weights, entropy_weights, topsis


def test_entropy_xu2004():
    """Xu, X. (2004). A note on the subjective and objective integrated approach to determine
    attribute weights. European Journal of Operational Research 156(2), 530–532.
    Published weights 0.4630, 0.3992, 0.1378, 0.0000."""
    x = pd.DataFrame([[30, 30, 38, 29], [19, 54, 86, 29], [19, 15, 85, 28.9], [68, 70, 60, 29]],
                     columns=["c1", "c2", "c3", "c4"])
    w = entropy_weights(x, standardise=False)          # the paper's entropy is of the raw data
    assert list(w.index) == ["c1", "c2", "c3", "c4"]
    np.testing.assert_allclose(w, [0.4630, 0.3992, 0.1378, 0.0000], atol=5e-5)


def test_entropy_zavadskas_podvezko2016():
    """Zavadskas, E.K. & Podvezko, V. (2016). Integrated determination of objective criteria weights
    in MCDM. International Journal of Information Technology & Decision Making 15(2), 267–283.
    Published weights 0.1146, 0.1981, 0.4185, 0.2689 (entropy of the raw data)."""
    x = pd.DataFrame([[3.0, 100, 10, 7], [2.5, 80, 8, 5], [1.8, 50, 20, 11], [2.2, 70, 12, 9]])
    np.testing.assert_allclose(entropy_weights(x, standardise=False), [0.1146, 0.1981, 0.4185, 0.2689], atol=5e-5)


def test_entropy_guards():
    with pytest.raises(ValueError, match="非负"):
        entropy_weights(pd.DataFrame({"a": [1, -1], "b": [1, 2]}), standardise=False)
    w = entropy_weights(pd.DataFrame({"a": [1, -1, 0], "b": [1, 2, 3]}), [True, True])   # standardised: fine
    assert w.sum() == pytest.approx(1)
    with pytest.warns(UserWarning, match="无差异"):
        w = entropy_weights(pd.DataFrame({"flat": [3, 3, 3], "b": [1, 2, 3], "c": [0, 1, 0]}), [True] * 3)
    assert w["flat"] == 0 and w.sum() == pytest.approx(1)
    # an all-0/1 column: p = 1/k on the k ones, e = ln k / ln m  (k = 1, m = 3 → e = 0)
    assert w["c"] > w["b"]


def test_critic_diakoulaki1995():
    """Diakoulaki, D., Mavrotas, G. & Papayannakis, L. (1995). Determining objective weights in
    multiple criteria problems: the CRITIC method. Computers & Operations Research 22(7), 763–770.
    Weights 0.2022, 0.4809, 0.3169 (as reproduced in scikit-criteria's tests)."""
    x = pd.DataFrame([[61, 1.08, 4.33], [20.7, 0.26, 4.34], [16.3, 1.98, 2.53], [9.0, 3.29, 1.65],
                      [5.4, 2.77, 2.33], [4.0, 4.12, 1.21], [-6.1, 3.52, 2.10], [-34.6, 3.31, 0.98]])
    np.testing.assert_allclose(critic_weights(x, [True] * 3), [0.20222554, 0.48090173, 0.31687273], atol=1e-6)


def test_critic_tus_aytac_adali2019():
    """Tuş, A. & Aytaç Adalı, E. (2019). The new combination with CRITIC and WASPAS methods for the
    time and attendance software selection problem. OPSEARCH 56(2), 528–538.
    Published 0.157, 0.249, 0.168, 0.121, 0.154, 0.151 (the paper scores every criterion as a benefit)."""
    x = pd.DataFrame([[5000, 3, 3, 4, 3, 2], [680, 5, 3, 2, 2, 1], [2000, 3, 2, 3, 4, 3],
                      [600, 4, 3, 1, 2, 2], [800, 2, 4, 3, 3, 4]])
    np.testing.assert_allclose(critic_weights(x, [True] * 6), [0.157, 0.249, 0.168, 0.121, 0.154, 0.151],
                               atol=6e-4)


def test_critic_reversal_and_flat_columns():
    x = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [4.0, 1, 3, 2], "flat": [5.0, 5, 5, 5]})
    with pytest.warns(UserWarning, match="无差异"):
        w = critic_weights(x, higher_better=[True, False, True])
    assert w["flat"] == 0 and w.sum() == pytest.approx(1)
    # reversing a column keeps its sd and flips its correlations: by hand, r(a, b) = -0.4 → r(a, -b) = 0.4
    s = ((x[["a", "b"]] - x[["a", "b"]].min()) / 3).std(ddof=1)
    expected = pd.Series({"a": s["a"] * (1 - 0.4), "b": s["b"] * (1 - 0.4)})
    np.testing.assert_allclose(w[["a", "b"]], expected / expected.sum() * (1 - w["flat"]))


def test_topsis_tzeng_huang2011():
    """Tzeng, G.H. & Huang, J.J. (2011). Multiple Attribute Decision Making: Methods and Applications.
    CRC Press. Closeness 0.5037, 0.6581, 0.7482, 0.3340 (vector normalisation)."""
    x = pd.DataFrame([[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]], index=list("ABCD"))
    out = topsis(x, [0.3, 0.4, 0.3], [True, True, True], normalization="vector")
    np.testing.assert_allclose(out["closeness"], [0.5037, 0.6581, 0.7482, 0.3340], atol=5e-5)
    assert out["rank"].tolist() == [3, 2, 1, 4] and list(out.index) == list("ABCD")


def test_topsis_papathanasiou_ploskas2018():
    """Papathanasiou, J. & Ploskas, N. (2018). TOPSIS. In Multiple Criteria Decision Aid, 1–30.
    Springer. Closeness 0.387, 0.327, 0.391, 0.615, 0.868, 0.493."""
    x = pd.DataFrame([[8, 7, 2, 1], [5, 3, 7, 5], [7, 5, 6, 4], [9, 9, 7, 3], [11, 10, 3, 7], [6, 9, 5, 4]])
    out = topsis(x, [0.4, 0.3, 0.1, 0.2], [True] * 4, normalization="vector")
    np.testing.assert_allclose(out["closeness"], [0.387, 0.327, 0.391, 0.615, 0.868, 0.493], atol=6e-4)


def test_topsis_minmax_opricovic_tzeng2004():
    """Opricovic, S. & Tzeng, G.H. (2004). Compromise solution by MCDM methods. European Journal of
    Operational Research 156(2), 445–455; closeness 0.500, 0.617, 0.500 as reproduced with min–max
    normalisation in pymcdm's tests (cost criterion first)."""
    x = pd.DataFrame([[1, 3000], [2, 3750], [5, 4500]])
    out = topsis(x, [0.5, 0.5], [False, True], normalization="minmax")
    np.testing.assert_allclose(out["closeness"], [0.500, 0.617, 0.500], atol=5e-4)
    assert out["rank"].tolist() == [2, 1, 2]


def test_ahp_saaty1990_house():
    """Saaty, T.L. (1990). How to make a decision: the analytic hierarchy process. European Journal of
    Operational Research 48, 9–26 (house example): λmax 9.669, CI 0.238, CR 0.169."""
    a = [[1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4], [1 / 5, 1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
         [1 / 3, 3, 1, 6, 3, 4, 6, 1 / 5], [1 / 7, 1 / 5, 1 / 6, 1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
         [1 / 6, 1 / 3, 1 / 3, 3, 1, 1 / 2, 1 / 5, 1 / 6], [1 / 6, 1 / 3, 1 / 4, 4, 2, 1, 1 / 5, 1 / 6],
         [3, 5, 1 / 6, 7, 5, 5, 1, 1 / 2], [4, 7, 5, 8, 6, 6, 2, 1]]
    with pytest.warns(UserWarning, match="CR"):
        res = ahp_weights(a)
    np.testing.assert_allclose(res.weights, [.173, .054, .188, .018, .031, .036, .167, .333], atol=6e-4)
    assert res.lambda_max == pytest.approx(9.669, abs=5e-4)
    assert res.ci == pytest.approx(0.238, abs=5e-4) and res.cr == pytest.approx(0.169, abs=5e-4)


def test_ahp_saaty2008_drinks():
    """Saaty, T.L. (2008). Decision making with the analytic hierarchy process. International Journal of
    Services Sciences 1(1), 83–98 (drink consumption): weights .177 .019 .042 .116 .190 .129 .327, CR 0.022."""
    names = ["coffee", "wine", "tea", "beer", "soda", "milk", "water"]
    a = pd.DataFrame([[1, 9, 5, 2, 1, 1, 1 / 2], [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
                      [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9], [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
                      [1, 9, 4, 2, 1, 2, 1 / 2], [1, 9, 3, 1, 1 / 2, 1, 1 / 3], [2, 9, 9, 3, 2, 3, 1]],
                     index=names, columns=names)
    res = ahp_weights(a)
    assert list(res.weights.index) == names
    np.testing.assert_allclose(res.weights, [.177, .019, .042, .116, .190, .129, .327], atol=6e-4)
    assert res.cr == pytest.approx(0.022, abs=5e-4)


def test_ahp_rejects_non_reciprocal():
    with pytest.raises(ValueError, match="互反"):
        ahp_weights([[1, 2], [2, 1]])


# -- 熵权法 as practised: standardised by direction, shifted by 0.0001 -------------------------

def _entropy_by_hand(columns, m):
    """d_j = 1 − e_j, e_j = −Σ p ln p / ln m, for columns given as lists of shifted values."""
    d = []
    for col in columns:
        total = sum(col)
        d.append(1 + sum(v / total * math.log(v / total) for v in col) / math.log(m))
    return [x / sum(d) for x in d]


def test_entropy_standardises_by_direction_and_shifts():
    # a (benefit) 1, 2, 3 → z = 0, ½, 1; b (cost) 10, 40, 20 → z = (40 − x)/30 = 1, 0, ⅔; then + 0.0001
    a = [0 + 1e-4, 0.5 + 1e-4, 1 + 1e-4]
    b = [1 + 1e-4, 0 + 1e-4, 2 / 3 + 1e-4]
    expected = _entropy_by_hand([a, b], 3)                  # ≈ 0.520, 0.480
    x = pd.DataFrame({"a": [1, 2, 3], "b": [10, 40, 20]})
    np.testing.assert_allclose(entropy_weights(x, [True, False]), expected, rtol=1e-12)
    np.testing.assert_allclose(entropy_weights(x, {"b": False, "a": True}), expected, rtol=1e-12)   # by label
    np.testing.assert_allclose(entropy_weights(x, ["higher", "lower"]), expected, rtol=1e-12)
    # the raw-data entropy of the same matrix is something else
    assert not np.allclose(entropy_weights(x, standardise=False), expected, atol=1e-3)
    with pytest.raises(ValueError, match="shift"):
        entropy_weights(x, [True, False], shift=-1)


def test_entropy_directions_come_from_the_catalogue():
    # 信访 (petitions) is lower-is-better in the catalogue, 满意度 (satisfaction) higher-is-better
    x = pd.DataFrame({"petitions": [0.0, 3, 1, 6], "satisfaction": [90.0, 70, 80, 60]})
    explicit = entropy_weights(x, [False, True])
    with warnings.catch_warnings(record=True) as caught:   # known indicators: no direction warning, only
        warnings.simplefilter("always")                      # that the table carries no catalogue
        pd.testing.assert_series_equal(entropy_weights(x), explicit)
    assert [str(w.message)[:11] for w in caught] == ["这张表没有附带指标体系"]
    by_name = entropy_weights(x.rename(columns={"petitions": "信访及群体性事件", "satisfaction": "群众满意度"}))
    np.testing.assert_allclose(by_name, explicit)
    with pytest.raises(ValueError, match="只监测"):
        entropy_weights(x.assign(unqualified_handled=[0.0, 1, 0, 2]))
    with pytest.warns(UserWarning, match="按越高越好"):
        entropy_weights(x.assign(other=[1.0, 2, 3, 4]))
    with pytest.raises(ValueError, match="没有给出的列：satisfaction"):
        entropy_weights(x, {"petitions": False})
    with pytest.raises(ValueError, match="需要 2 个"):
        entropy_weights(x, [True])


def test_standardised_entropy_is_not_concentrated_on_the_sample_villages(sample_loaded):
    """Raw-data entropy on the 2015 sample villages gives 书记空缺月数 and 列为软弱涣散 — mostly-zero
    cost indicators — two thirds of all weight. Standardised by direction, a village that never had
    a vacancy is the best (z = 1), so these columns are mostly 1 and carry little weight.

    Bound: no two of the 20 scored indicators hold a majority (top two < 1/2). Check of the convention by
    hand: for a 0/1 benefit column with k ones among m, z′ ∈ {A, 1 + A} and
    p₁ = (1 + A)/(k(1 + A) + (m − k)A), p₀ = A/(…), d = 1 + [k p₁ ln p₁ + (m − k) p₀ ln p₀]/ln m;
    the weights of two such columns stand in the ratio of their d."""
    from dangjian_analysis import score_indicators

    v = score_indicators(sample_loaded, level="village").query("year == 2015")
    m = v.pivot(index="unit_id", columns="indicator", values="value").dropna(axis=1)
    m = m.drop(columns="unqualified_handled")                # monitor: not scored
    raw = entropy_weights(m, standardise=False)
    assert set(raw.nlargest(2).index) == {"vacancy_months", "weak_listed"}
    assert raw.nlargest(2).sum() >= 0.60
    w = entropy_weights(m)
    assert w.nlargest(2).sum() < 0.5 and (w > 0).all() and len(w) == 20

    def d_binary(k, n, a=1e-4):
        total = k * (1 + a) + (n - k) * a
        p1, p0 = (1 + a) / total, a / total
        return 1 + (k * p1 * math.log(p1) + (n - k) * p0 * math.log(p0)) / math.log(n)

    n = len(m)
    k_model, k_station = int(m["model_org"].sum()), int(m["station_running"].sum())
    k_not_listed = int((m["weak_listed"] == 0).sum())      # cost: z = 1 where not listed
    assert w["model_org"] / w["station_running"] == pytest.approx(d_binary(k_model, n) / d_binary(k_station, n),
                                                                   rel=1e-9)
    assert w["weak_listed"] / w["model_org"] == pytest.approx(d_binary(k_not_listed, n) / d_binary(k_model, n),
                                                              rel=1e-9)


# -- CRITIC: a flat column is dropped, not counted as uncorrelated --------------------------

def test_critic_drops_a_flat_column_from_the_correlations():
    x = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [2.0, 1, 4, 3], "c": [1.0, 3, 2, 5], "flat": [7.0, 7, 7, 7]})
    with pytest.warns(UserWarning, match="不参与计算"):
        w = critic_weights(x, [True] * 4)
    assert list(w.index) == ["a", "b", "c", "flat"] and w["flat"] == 0
    # by hand, without the flat column: z = (x − min)/(max − min), C_j = s_j Σ_k (1 − r_jk) over a, b, c
    z = (x[["a", "b", "c"]] - x[["a", "b", "c"]].min()) / (x[["a", "b", "c"]].max() - x[["a", "b", "c"]].min())
    r = np.corrcoef(z.to_numpy().T)
    s = z.std(ddof=1).to_numpy()
    c = s * (1 - r).sum(axis=0)
    np.testing.assert_allclose(w[["a", "b", "c"]], c / c.sum(), rtol=1e-12)
    # counting the flat column as uncorrelated (r = 0) would add s_j to every C_j: different weights
    wrong = s * ((1 - r).sum(axis=0) + 1)
    assert not np.allclose(c / c.sum(), wrong / wrong.sum(), atol=1e-3)


def test_critic_with_one_informative_column():
    with pytest.warns(UserWarning, match="无差异"):
        w = critic_weights(pd.DataFrame({"a": [1.0, 2, 3], "flat": [1.0, 1, 1]}), [True, True])
    assert w.to_dict() == {"a": 1.0, "flat": 0.0}


# -- TOPSIS: vector normalisation by default, weights matched by label ----------------------

def test_topsis_defaults_to_vector_normalisation():
    x = pd.DataFrame([[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]], index=list("ABCD"), columns=["p", "q", "r"])
    out = topsis(x, [0.3, 0.4, 0.3], [True] * 3)             # Tzeng & Huang (2011) without naming the method
    np.testing.assert_allclose(out["closeness"], [0.5037, 0.6581, 0.7482, 0.3340], atol=5e-5)


def test_topsis_aligns_weights_by_label():
    x = pd.DataFrame([[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]], index=list("ABCD"), columns=["p", "q", "r"])
    in_order = topsis(x, {"p": 0.3, "q": 0.4, "r": 0.3}, [True] * 3)
    shuffled = topsis(x, pd.Series({"r": 0.3, "p": 0.3, "q": 0.4}), {"q": True, "r": True, "p": True})
    pd.testing.assert_frame_equal(in_order, shuffled)
    np.testing.assert_allclose(in_order["closeness"], [0.5037, 0.6581, 0.7482, 0.3340], atol=5e-5)
    with pytest.raises(ValueError, match="矩阵中没有的列：s"):
        topsis(x, {"p": 0.3, "q": 0.4, "r": 0.2, "s": 0.1}, [True] * 3)
    with pytest.raises(ValueError, match="没有给出的列：r"):
        topsis(x, {"p": 0.5, "q": 0.5}, [True] * 3)
    with pytest.raises(ValueError, match="按列名对应"):
        topsis(x, pd.Series([0.3, 0.4, 0.3]), [True] * 3)     # labels 0, 1, 2 are not p, q, r
    with pytest.raises(ValueError, match="需要 3 个"):
        topsis(x, [0.5, 0.5], [True] * 3)
    with pytest.raises(ValueError, match="非负"):
        topsis(x, [0.5, -0.5, 1], [True] * 3)
    with pytest.raises(ValueError, match="normalization"):
        topsis(x, [1, 1, 1], [True] * 3, normalization="sum")


def test_topsis_identical_units_tie():
    x = pd.DataFrame({"a": [0.1 + 0.2, 0.3, 0.5], "b": [1.0, 1.0, 2.0]})     # 0.1 + 0.2 ≠ 0.3 in floating point
    out = topsis(x, [0.5, 0.5], [True, True])
    assert out["rank"].tolist() == [2, 2, 1]


def test_ahp_docstring_names_its_random_index_table():
    from dangjian_analysis.metrics.weights import RANDOM_INDEX

    assert "Saaty" in ahp_weights.__doc__ and "1980" in ahp_weights.__doc__
    assert [RANDOM_INDEX[n] for n in (3, 4, 8, 10)] == [0.58, 0.90, 1.41, 1.49]
