"""Rolling-origin backtest and its summary."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from forecasting.backtest import rolling_origin, summarise
from forecasting.errors import ProjectionError
from forecasting.totals import (
    ConstantPopulation,
    DampedETS,
    Exponential,
    Linear,
    LinearExponentialAverage,
    ShareOfRegion,
)
from forecasting.totals_inputs import read_totals

from .conftest import SHARED

METHODS = {
    "linear": Linear(),
    "exponential": Exponential(),
    "average": LinearExponentialAverage(),
    "constant": ConstantPopulation(),
    "ets": DampedETS(),
    "share": ShareOfRegion(),
}


def synthetic(seed: int = 0, n_areas: int = 4) -> xr.DataArray:
    rng = np.random.default_rng(seed)
    years = np.arange(1980, 2011)
    start = np.log(rng.uniform(1000, 200000, n_areas))[:, None]
    log = start + rng.normal(0, 0.01, (n_areas, years.size)).cumsum(axis=1)
    return xr.DataArray(
        np.round(np.exp(log)),
        dims=("area", "year"),
        coords={"area": [f"{i:03d}" for i in range(n_areas)], "year": years},
    )


def test_dataset_layout():
    data = synthetic()
    ds = rolling_origin(data, {"c": ConstantPopulation()}, [2000, 2005], [5, 10], 30,
                        np.random.default_rng(0))  # fmt: skip
    assert ds["forecast"].dims == ("method", "launch_year", "horizon", "area")
    assert ds["observed"].dims == ds["forecast"].dims
    assert ds["launch_population"].dims == ("launch_year", "area")
    expected = data.sel(year=2000).to_numpy()
    np.testing.assert_array_equal(ds["forecast"].isel(method=0, launch_year=0, horizon=0), expected)
    np.testing.assert_array_equal(ds["observed"].isel(method=0, launch_year=0, horizon=1),
                                  data.sel(year=2010))  # fmt: skip
    assert np.isnan(ds["observed"].isel(launch_year=1, horizon=1)).all()  # 2015 not observed
    for name in ds.data_vars:
        assert ds[name].attrs["units"] == "persons" and ds[name].attrs["long_name"]
    assert (ds["lower95"] <= ds["lower80"]).all() and (ds["upper80"] <= ds["upper95"]).all()


@pytest.mark.parametrize("name", list(METHODS))
def test_no_look_ahead(name):
    data = synthetic()
    launches, later = [1995, 2000], data["year"] > 2000
    changed = data.where(~later, data * np.random.default_rng(1).uniform(0.5, 2, data.shape))
    args = ({name: METHODS[name]}, launches, [1, 5], 40)
    a = rolling_origin(data, *args, np.random.default_rng(7))
    b = rolling_origin(changed, *args, np.random.default_rng(7))
    for var in ["forecast", "lower80", "upper80", "lower95", "upper95"]:
        xr.testing.assert_equal(a[var], b[var])
    assert not a["observed"].equals(b["observed"])


@dataclass(frozen=True)
class Spy:
    """Records the last year of every history it is fitted on."""

    seen: list = field(default_factory=list)

    def fit(self, history):
        self.seen.append(int(history["year"].max()))
        return ConstantPopulation().fit(history)


def test_methods_see_only_years_up_to_launch():
    spy = Spy()
    rolling_origin(synthetic(), {"spy": spy}, [1990, 1991, 2003], [5], 10, np.random.default_rng(0))
    assert spy.seen == [1990, 1991, 2003]


def test_launch_years_must_be_in_the_history():
    with pytest.raises(ProjectionError):
        rolling_origin(synthetic(), {"c": ConstantPopulation()}, [2011], [1], 5,
                       np.random.default_rng(0))  # fmt: skip


def tiny() -> xr.Dataset:
    dims = ("method", "launch_year", "horizon", "area")
    forecast = [[[[105.0, 3300.0, 900.0], [120.0, 2700.0, 1000.0]]]]
    observed = [[[[100.0, 3000.0, 1000.0], [100.0, 3000.0, np.nan]]]]
    lower80 = [[[[101.0, 3100.0, 850.0], [90.0, 2900.0, 900.0]]]]
    upper80 = [[[[110.0, 3400.0, 950.0], [130.0, 3100.0, 1100.0]]]]
    return xr.Dataset(
        {
            "forecast": (dims, forecast),
            "observed": (dims, observed),
            "lower80": (dims, lower80),
            "upper80": (dims, upper80),
            "lower95": (dims, np.asarray(lower80) - 100),
            "upper95": (dims, np.asarray(upper80) + 100),
            "launch_population": (("launch_year", "area"), [[100.0, 3000.0, 1000.0]]),
        },
        coords={
            "method": ["m"],
            "launch_year": [2000],
            "horizon": [5, 10],
            "area": ["a", "b", "c"],
        },  # fmt: skip
    )


def test_summarise_by_hand():
    table = summarise(tiny(), size_bins=(0, 2000, np.inf)).set_index(["horizon", "size_class"])
    # horizon 5, small: a (+5 %), c (-10 %); large: b (+10 %)
    small5 = table.loc[(5, "0-2000")]
    assert small5["n"] == 2
    assert small5["mape"] == pytest.approx(7.5)
    assert small5["medape"] == pytest.approx(7.5)
    assert small5["p90ape"] == pytest.approx(5 + 0.9 * 5)
    assert small5["malpe"] == pytest.approx(-2.5)
    assert small5["coverage80"] == pytest.approx(0.0)  # a: 100 < 101, c: 1000 > 950
    assert small5["coverage95"] == pytest.approx(100.0)
    large5 = table.loc[(5, "2000-inf")]
    assert (large5["n"], large5["mape"], large5["malpe"]) == (
        1,
        pytest.approx(10),
        pytest.approx(10),
    )
    assert large5["coverage80"] == 0.0
    # horizon 10: c has no observed outcome and is left out
    small10 = table.loc[(10, "0-2000")]
    assert small10["n"] == 1
    assert small10["mape"] == pytest.approx(20.0) and small10["coverage80"] == 100.0
    large10 = table.loc[(10, "2000-inf")]
    assert large10["malpe"] == pytest.approx(-10.0) and large10["coverage80"] == 100.0
    assert list(table.columns) == [
        "method", "n", "mape", "medape", "p90ape", "malpe", "coverage80", "coverage95",
        "n_zero_outcome",
    ]  # fmt: skip


def test_size_class_is_population_at_launch():
    ds = tiny()
    ds["launch_population"][:] = [[5000.0, 5000.0, 5000.0]]
    table = summarise(ds, size_bins=(0, 2000, np.inf))
    assert set(table["size_class"]) == {"2000-inf"}


@pytest.fixture(scope="module")
def municipal_totals():
    path = SHARED / "data" / "finland_municipal_population_totals.csv"
    if not path.is_file():
        pytest.skip(f"shared municipal totals not found at {path}")
    return read_totals(path)


def test_finnish_naive_benchmark(municipal_totals):
    """LinearExponentialAverage on 309 municipalities, launches 1985..2003.

    forecasting.md (launches 1985..2018, 20 y only up to 2003) gives MAPE
    2.7 / 5.5 / 12.2 % for 2-5k and 1.7 / 3.4 / 5.8 % for >100k.
    """
    assert municipal_totals["area"].nunique() == 309
    ds = rolling_origin(
        municipal_totals,
        {"naive": LinearExponentialAverage(base_period=10)},
        list(range(1985, 2004)),
        [5, 10, 20],
        50,
        np.random.default_rng(2024),
    )
    table = summarise(ds).set_index(["size_class", "horizon"])["mape"]
    reference = {"2000-5000": [2.7, 5.5, 12.2], "100000-inf": [1.7, 3.4, 5.8]}
    for size, values in reference.items():
        got = table.loc[size].loc[[5, 10, 20]].to_numpy()
        np.testing.assert_allclose(got, values, atol=1.0, err_msg=size)
    assert isinstance(table, pd.Series)
