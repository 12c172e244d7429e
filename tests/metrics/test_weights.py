"""Entropy, CRITIC, TOPSIS and AHP against published worked examples (sources cited per test)."""

from __future__ import annotations

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
    w = entropy_weights(x)
    assert list(w.index) == ["c1", "c2", "c3", "c4"]
    np.testing.assert_allclose(w, [0.4630, 0.3992, 0.1378, 0.0000], atol=5e-5)


def test_entropy_zavadskas_podvezko2016():
    """Zavadskas, E.K. & Podvezko, V. (2016). Integrated determination of objective criteria weights
    in MCDM. International Journal of Information Technology & Decision Making 15(2), 267–283.
    Published weights 0.1146, 0.1981, 0.4185, 0.2689 (entropy of the raw data)."""
    x = pd.DataFrame([[3.0, 100, 10, 7], [2.5, 80, 8, 5], [1.8, 50, 20, 11], [2.2, 70, 12, 9]])
    np.testing.assert_allclose(entropy_weights(x), [0.1146, 0.1981, 0.4185, 0.2689], atol=5e-5)


def test_entropy_guards():
    with pytest.raises(ValueError, match="非负"):
        entropy_weights(pd.DataFrame({"a": [1, -1], "b": [1, 2]}))
    with pytest.warns(UserWarning, match="无差异"):
        w = entropy_weights(pd.DataFrame({"flat": [3, 3, 3], "b": [1, 2, 3], "c": [0, 1, 0]}))
    assert w["flat"] == 0 and w.sum() == pytest.approx(1)
    # an all-0/1 column: p = 1/k on the k ones, e = ln k / ln m  (k = 1, m = 3 → e = 0)
    assert w["c"] > w["b"]


def test_critic_diakoulaki1995():
    """Diakoulaki, D., Mavrotas, G. & Papayannakis, L. (1995). Determining objective weights in
    multiple criteria problems: the CRITIC method. Computers & Operations Research 22(7), 763–770.
    Weights 0.2022, 0.4809, 0.3169 (as reproduced in scikit-criteria's tests)."""
    x = pd.DataFrame([[61, 1.08, 4.33], [20.7, 0.26, 4.34], [16.3, 1.98, 2.53], [9.0, 3.29, 1.65],
                      [5.4, 2.77, 2.33], [4.0, 4.12, 1.21], [-6.1, 3.52, 2.10], [-34.6, 3.31, 0.98]])
    np.testing.assert_allclose(critic_weights(x), [0.20222554, 0.48090173, 0.31687273], atol=1e-6)


def test_critic_tus_aytac_adali2019():
    """Tuş, A. & Aytaç Adalı, E. (2019). The new combination with CRITIC and WASPAS methods for the
    time and attendance software selection problem. OPSEARCH 56(2), 528–538.
    Published 0.157, 0.249, 0.168, 0.121, 0.154, 0.151 (the paper scores every criterion as a benefit)."""
    x = pd.DataFrame([[5000, 3, 3, 4, 3, 2], [680, 5, 3, 2, 2, 1], [2000, 3, 2, 3, 4, 3],
                      [600, 4, 3, 1, 2, 2], [800, 2, 4, 3, 3, 4]])
    np.testing.assert_allclose(critic_weights(x), [0.157, 0.249, 0.168, 0.121, 0.154, 0.151], atol=6e-4)


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
    out = topsis(x, [0.5, 0.5], [False, True])
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
