"""The damped TFR trend option of assume_rates (measured, not a default)."""

from __future__ import annotations

import numpy as np
import pytest

from forecasting import CalibrationError, assume_rates


def test_tfr_moves_on_by_its_damped_recent_change(tables, sysma):
    base, history, years = sysma
    held = assume_rates(tables, 7, ["781"], history, base, years, tfr_period=1)
    trend = assume_rates(tables, 7, ["781"], history, base, years, tfr_period=1,
                         tfr_trend_years=5, tfr_damping=0.8)  # fmt: skip
    tfr = tables.tfr[tables.tfr["region_code"] == "7"].set_index("year")["tfr"]
    slope = (tfr[2023] - tfr[2018]) / 5
    sums = [float(r["fertility_rate"].isel(sample=0, area=0).sum("age")[t]) for r in (held, trend)
            for t in (0, 19)]  # fmt: skip
    assert sums[0] == pytest.approx(sums[1])  # held: the same every year
    assert sums[2] == pytest.approx(tfr[2023] + 0.8 * slope, rel=1e-9)
    steps = np.cumsum(0.8 ** np.arange(1, 21))[-1]
    assert sums[3] == pytest.approx(max(tfr[2023] + slope * steps, 0.5 * tfr[2023]), rel=1e-9)
    with pytest.raises(CalibrationError, match="tfr.csv lacks"):
        assume_rates(tables, 7, ["781"], history, base, years, tfr_trend_years=60)
