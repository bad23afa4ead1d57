"""Bad backtest inputs end in one clear error naming the file or option (issue 16)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.api import backtest
from forecasting.errors import InputError
from forecasting.options import OptionError


@pytest.fixture
def totals() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    rows = []
    for k, start in enumerate((1500, 3000, 12000)):
        growth = rng.normal(0, 0.01, 30).cumsum()
        for i, year in enumerate(range(1990, 2020)):
            rows.append(
                {"code": f"{k:03d}", "year": year, "population": int(start * np.exp(growth[i]))}
            )
    return pd.DataFrame(rows)


def run(data, **options):
    kwargs = {"area_column": "code", "horizons": [1, 5], "methods": ["constant"], "n_samples": 20}
    return backtest(data, **(kwargs | options))


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("missing", "nope.csv: file not found"),
        ("folder", "is a folder, not a CSV file"),
    ],
)
def test_data_that_is_not_a_file_is_named(tmp_path, where, expected):
    data = tmp_path / "nope.csv" if where == "missing" else tmp_path
    with pytest.raises(InputError, match=expected):
        run(data)


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        ({"n_samples": 0}, "n_samples=0: must be between 1 and 100000"),
        ({"base_period": 0}, "base_period=0: must be between 2 and 200"),
        ({"base_period": 2.5}, "base_period=2.5: must be an integer"),
    ],
)
def test_bad_counts_are_refused_by_name(totals, option, expected):
    with pytest.raises(OptionError, match=expected):
        run(totals, **option)


def test_a_year_missing_for_every_area_is_named(tmp_path, totals):
    path = tmp_path / "gap.csv"
    totals[totals["year"] != 2005].to_csv(path, index=False)
    with pytest.raises(InputError, match=r"gap.csv column 'year': the years \[2005\] are missing"):
        run(path)


def test_a_year_missing_for_one_area_is_named(totals):
    gap = totals[~((totals["code"] == "001") & totals["year"].isin([2003, 2004]))]
    with pytest.raises(InputError, match=r"area '001' lacks the years \[2003, 2004\]"):
        run(gap)


def test_a_zero_outcome_has_no_percentage_error_and_is_counted(totals):
    totals.loc[(totals["code"] == "000") & (totals["year"] == 2010), "population"] = 0
    ds, summary = run(totals)
    assert np.isfinite(summary[["mape", "medape", "p90ape", "malpe"]].to_numpy()).all()
    small = summary.set_index(["horizon", "size_class"])
    assert small.loc[(1, "0-2000"), "n_zero_outcome"] == 1
    assert small.loc[(5, "0-2000"), "n_zero_outcome"] == 1
    assert summary["n_zero_outcome"].sum() == 2  # one launch reaches 2010 per horizon
    # The zero still counts in n and the coverages.
    assert small.loc[(1, "0-2000"), "n"] == int(ds.sizes["launch_year"])
