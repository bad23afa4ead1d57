"""Widened TFR paths: same median, spread growing with the horizon, drawn from the same seed."""

from __future__ import annotations

import numpy as np
import pytest

from forecasting.rate_paths import tfr_paths, widen


def test_widen_keeps_the_median_and_scales_the_log_spread_with_the_horizon():
    rng = np.random.default_rng(1)
    paths = np.exp(rng.normal(np.log(1.5), 0.02, size=(501, 10)))
    wide = widen(paths, 2.6)
    np.testing.assert_allclose(np.median(wide, axis=0), np.median(paths, axis=0), rtol=1e-12)
    ratio = np.log(wide).std(axis=0) / np.log(paths).std(axis=0)
    np.testing.assert_allclose(ratio, 1 + 1.6 * np.arange(1, 11) / 5, rtol=1e-9)
    assert widen(paths, 1.0) is paths


def test_widening_stops_growing_after_the_backtested_horizon():
    rng = np.random.default_rng(2)
    paths = np.exp(rng.normal(np.log(1.5), 0.02, size=(501, 20)))
    ratio = np.log(widen(paths, 2.6)).std(axis=0) / np.log(paths).std(axis=0)
    expected = 1 + 1.6 * np.minimum(np.arange(1, 21), 10) / 5
    np.testing.assert_allclose(ratio, expected, rtol=1e-9)
    assert ratio[-1] == pytest.approx(ratio[9], rel=1e-12)


def test_widened_regional_paths_cover_more_of_the_later_tfr(tables):
    """The ETS paths of Uusimaa launched in 2010 miss the 2015 TFR; widened ones hold it."""
    code = tables.tfr.loc[tables.tfr["region_code"].astype(str) == "1", "region_code"].iloc[0]
    paths = tfr_paths(tables, code, 1990, 2010, 10, 1000, np.random.default_rng(0))
    seen = tables.tfr[(tables.tfr["region_code"] == code) & (tables.tfr["year"] == 2015)]
    observed = float(seen["tfr"].iloc[0])
    narrow = np.quantile(paths[:, 4], [0.1, 0.9])
    wide = np.quantile(widen(paths, 2.6)[:, 4], [0.1, 0.9])
    assert not narrow[0] <= observed <= narrow[1]  # 1.51 below the ETS interval
    assert wide[0] <= observed <= wide[1]
    assert wide[0] < narrow[0] and wide[1] > narrow[1]
    assert (wide[1] - wide[0]) / (narrow[1] - narrow[0]) > 2.4
