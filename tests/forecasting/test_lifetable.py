"""Life expectancy from death probabilities, and the e0 calibration."""

from __future__ import annotations

import numpy as np
import pytest

from forecasting import CalibrationError, assume_rates, life_expectancy, mortality_factor


def test_hand_computed_two_ages():
    # l = [1, 0.5]; L0 = 1 * (1 - 0.25) = 0.75; open: 0.5 * (1 - 0.5) / 1 = 0.25
    assert life_expectancy([0.5, 1.0]) == pytest.approx(1.0, abs=1e-15)


def test_nobody_dies_before_the_open_age():
    q = np.zeros(101)
    q[-1] = 1.0
    # 100 full years, then half a year in the open group
    assert life_expectancy(q) == pytest.approx(100.5, abs=1e-12)
    # born at mid-year: half a year more before the first 31.12
    assert life_expectancy(q, infant_q=0.0) == pytest.approx(101.0, abs=1e-12)


@pytest.mark.parametrize("q", [0.05, 0.2, 0.5, 1.0])
def test_constant_q_is_geometric(q):
    assert life_expectancy(np.full(7, q)) == pytest.approx((1 - q / 2) / q, rel=1e-12)


def test_infant_year_weights():
    q = np.full(3, 0.2)
    expected = 0.5 * (1 - 0.1 / 2) + (1 - 0.1) * 4.5
    assert life_expectancy(q, infant_q=0.1) == pytest.approx(expected, rel=1e-12)


def test_vectorised_over_leading_axes():
    q = np.stack([np.full(5, 0.2), np.full(5, 0.5)])
    np.testing.assert_allclose(life_expectancy(q), [4.5, 1.5])


def test_rejects_bad_probabilities():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        life_expectancy([0.1, 1.2])
    with pytest.raises(ValueError, match="open age"):
        life_expectancy([0.1, 0.0])


def test_factor_reaches_target_on_the_shipped_schedule(tables):
    dp = tables.death_probabilities
    rows = dp[(dp["year"] == 2024) & (dp["sex"] == "male")].sort_values("age")
    values = rows["death_probability"].to_numpy(dtype=float)
    q = np.append(values[1:], values[-1])
    k = mortality_factor(q, values[0], target_e0=77.4)
    assert life_expectancy(np.minimum(k * q, 1), k * values[0]) == pytest.approx(77.4, abs=1e-8)


def test_unreachable_target():
    with pytest.raises(CalibrationError, match="outside the reachable range"):
        mortality_factor(np.full(101, 0.02), 0.002, target_e0=0.1)


def test_assumed_rates_hit_the_regional_e0(tables, sysma):
    base, history, years = sysma
    rates = assume_rates(tables, "7", ["781"], history, base, years)
    first = rates.isel(sample=0, area=0, year=0)
    for sex, target in (("female", 83.7), ("male", 77.4)):  # Päijät-Häme 2023
        assert rates.attrs[f"e0_target_{sex}"] == target
        e0 = life_expectancy(
            first["death_probability"].sel(sex=sex).values,
            first["infant_death_probability"].sel(sex=sex).values,
        )
        assert e0 == pytest.approx(target, abs=1e-8)
