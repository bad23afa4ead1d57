"""A realistic check: Sysmä (781) projected 20 years from 2023 with Päijät-Häme rates."""

from __future__ import annotations

import pytest

from forecasting import assume_rates, project


def test_sysma_declines_plausibly(tables, sysma):
    base, history, years = sysma
    rates = assume_rates(tables, "7", ["781"], history, base, years)
    out = project(base, rates, years)
    total = out["population"].isel(sample=0, area=0).sum(("sex", "age")).to_series()
    assert total[2023] == pytest.approx(3496, abs=1e-9)
    change = total.diff().dropna()
    assert (change < 0).all(), "Sysmä should decline every year"
    # observed 2013-2023: -64 persons/year (-1.6 %); allow -3 % .. -0.5 % a year
    relative = (change / total.shift()).dropna()
    assert relative.between(-0.03, -0.005).all(), relative
    # 5 years of -30 .. -90 persons a year (measured: 3,189 in 2028, 2,379 in 2043)
    assert 3496 - 5 * 90 < total[2028] < 3496 - 5 * 30
    assert 1900 < total[2043] < 3000
    births = out["births"].isel(sample=0, area=0, year=slice(1, None)).sum("sex")
    deaths = out["deaths"].isel(sample=0, area=0, year=slice(1, None)).sum(("sex", "age"))
    assert (births > 5).all() and (births < 60).all()
    assert (deaths > births).all()
