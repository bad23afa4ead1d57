"""The ``servicesim-backtest`` command: rolling-origin backtest of totals forecasts.

Writes ``backtest.nc`` (every forecast, interval and outcome), ``backtest.csv`` (the
summary by method, horizon and size class) and ``backtest_error_by_horizon.png``
into the Hydra output folder, and prints the summary.
"""

from __future__ import annotations

import os
import sys
import tempfile
from importlib import resources
from pathlib import Path

import hydra
import matplotlib
import numpy as np
import pandas as pd
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

from experiments.output import write_atomic
from experiments.settings import ConfigError
from forecasting.age_backtest import (
    cohort_component_method,
    hamilton_perry_method,
    naive_method,
    rolling_origin_ages,
    summarise_ages,
)
from forecasting.backtest import rolling_origin, summarise
from forecasting.empirical import EmpiricalIntervals
from forecasting.errors import ForecastingError
from forecasting.inputs import read_rate_tables
from forecasting.population_inputs import read_population
from forecasting.totals import (
    ConstantPopulation,
    DampedETS,
    Exponential,
    Linear,
    LinearExponentialAverage,
    ShareOfRegion,
)
from forecasting.totals_inputs import read_totals
from forecasting.trend_share import TrendShare
from forecasting.vital_inputs import read_births, read_deaths

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

METHODS = {
    "trend_share": TrendShare,
    "linear_exponential_average": LinearExponentialAverage,
    "linear": Linear,
    "exponential": Exponential,
    "constant": ConstantPopulation,
    "share_of_region": ShareOfRegion,
    "damped_ets": DampedETS,
}


EMPIRICAL = ("trend_share", "linear_exponential_average", "linear", "exponential", "constant")
"""Methods whose intervals come from their own past errors (fast enough to refit inside)."""


def method_specs(
    names: list[str],
    base_period: int,
    empirical_intervals: bool = True,
    recent_launches: int | None = None,
) -> dict[str, object]:
    """Build the method specifications by name.

    ``trend_share`` always gets empirical intervals; with ``empirical_intervals``
    the naive trend methods get them the same way, so coverages compare.
    ``recent_launches`` (``None``: all) is the window of latest inner launches whose
    errors give the empirical intervals, see
    :class:`~forecasting.empirical.EmpiricalIntervals`.

    Raises
    ------
    ConfigError
        Naming an unknown method and the allowed ones.
    """
    unknown = [n for n in names if n not in METHODS]
    if unknown or not names:
        raise ConfigError(f"methods={names}: allowed values are {sorted(METHODS)}")
    if recent_launches is not None and (
        not isinstance(recent_launches, int)
        or isinstance(recent_launches, bool)
        or recent_launches < 1
    ):
        raise ConfigError(
            f"recent_launches={recent_launches}: allowed values are null (every inner launch) "
            "or an integer >= 1"
        )
    specs = {
        n: METHODS[n]() if n == "damped_ets" else METHODS[n](base_period=base_period) for n in names
    }
    wrapped = EMPIRICAL if empirical_intervals else ("trend_share",)
    for name in wrapped:  # intervals from the method's own past errors
        if name in specs:
            specs[name] = EmpiricalIntervals(
                specs[name], min_history=base_period, recent_launches=recent_launches
            )
    return specs


def default_launch_years(years: np.ndarray, horizons: list[int], base_period: int) -> list[int]:
    """Every launch year with a base period behind it and the longest horizon observed.

    Examples
    --------
    >>> default_launch_years(np.arange(1972, 2024), [5, 10, 20], 10)[:2]
    [1982, 1983]
    >>> default_launch_years(np.arange(1972, 2024), [5, 10, 20], 10)[-1]
    2003
    """
    return list(range(int(years.min()) + base_period, int(years.max()) - max(horizons) + 1))


def load_totals(path: Path, area_column: str) -> pd.DataFrame:
    """Read totals; a file with ``sex``/``age`` columns is summed to totals first."""
    header = pd.read_csv(path, nrows=0).columns
    if {"age", "population"} <= set(header) and area_column in header:
        df = pd.read_csv(path, dtype={area_column: str})
        df = df.groupby([area_column, "year"], as_index=False)["population"].sum()
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as tmp:
            df.to_csv(tmp.name, index=False)
        try:
            return read_totals(tmp.name, area_column=area_column)
        finally:
            os.unlink(tmp.name)
    return read_totals(path, area_column=area_column)


def error_plot(summary: pd.DataFrame, target: Path) -> Path:
    """Draw MAPE by horizon per method, one panel per size class, and save it."""
    classes = list(dict.fromkeys(summary["size_class"]))
    fig, axes = plt.subplots(1, len(classes), figsize=(3.2 * len(classes), 3.4), sharey=True)
    for ax, size in zip(np.atleast_1d(axes), classes, strict=True):
        part = summary[summary["size_class"] == size]
        for method, rows in part.groupby("method", sort=False):
            ax.plot(rows["horizon"], rows["mape"], marker="o", label=method)
        ax.set_title(f"{size} persons")
        ax.set_xlabel("horizon (years)")
        ax.grid(alpha=0.3)
    np.atleast_1d(axes)[0].set_ylabel("MAPE (%)")
    np.atleast_1d(axes)[-1].legend(fontsize=7)
    fig.tight_layout()
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".png")
    os.close(fd)
    fig.savefig(tmp, dpi=110)
    plt.close(fig)
    os.replace(tmp, target)
    return target


AGE_METHODS = ("cohort_component", "cohort_component_paths", "hamilton_perry", "naive")


def has_ages(path: Path) -> bool:
    """Whether the CSV holds population by sex and age (else totals)."""
    header = pd.read_csv(path, nrows=0).columns
    return {"sex", "age", "population"} <= set(header)


def age_backtest(cfg: DictConfig, path: Path, horizons: list[int]):
    """Backtest the age-structured methods on population by area, sex and age.

    Returns the backtest Dataset and its summary (with service age-group MAPEs).
    """
    names = list(cfg.age_methods)
    unknown = [n for n in names if n not in AGE_METHODS]
    if unknown or not names:
        raise ConfigError(f"age_methods={names}: allowed values are {list(AGE_METHODS)}")
    drop = tuple(str(a) for a in cfg.drop_areas)
    population = read_population(path, str(cfg.area_column), drop_areas=drop)
    base_period = int(cfg.base_period)
    rates = (
        Path(str(cfg.rates_dir))
        if cfg.rates_dir
        else Path(str(resources.files("forecasting") / "data" / "finland"))
    )
    tables = read_rate_tables(rates)
    ccm = {
        "e0_trend": bool(cfg.ccm_e0_trend),
        "old_age_mortality": bool(cfg.ccm_old_age_mortality),
        "tfr_period": None if cfg.ccm_tfr_period is None else int(cfg.ccm_tfr_period),
    }
    ccm_base = int(cfg.ccm_base_period)
    area_column = str(cfg.area_column)
    for name, reader in (("births", read_births), ("deaths", read_deaths)):
        if cfg.get(name):
            ccm[name] = reader(Path(str(cfg[name])).expanduser(), area_column)
    available = {
        "cohort_component": cohort_component_method(tables, ccm_base, **ccm),
        "cohort_component_paths": cohort_component_method(
            tables,
            ccm_base,
            n_samples=int(cfg.age_n_samples),
            rng=np.random.default_rng(np.random.SeedSequence(int(cfg.seed))),
            **ccm,
        ),
        "hamilton_perry": hamilton_perry_method,
        "naive": naive_method,
    }
    years = population["year"].to_numpy()
    if cfg.launch_years is None:  # rates from the tables' first year + base period on
        first = max(int(years.min()), int(tables.tfr["year"].min())) + base_period
        launches = list(range(first, int(years.max()) - min(horizons) + 1))
    else:
        launches = [int(y) for y in cfg.launch_years]
    if not launches:
        raise ConfigError("launch_years: no launch year leaves a horizon observable")
    print(f"backtest: {len(names)} age methods x {len(launches)} launch years", file=sys.stderr)
    ds = rolling_origin_ages(population, {n: available[n] for n in names}, launches, horizons)
    return ds, summarise_ages(ds)


@hydra.main(version_base="1.3", config_path="conf", config_name="backtest")
def main(cfg: DictConfig) -> None:
    """Validate the options, run the backtest and write its files."""
    out = Path(HydraConfig.get().runtime.output_dir)
    try:
        if cfg.data is None:
            raise ConfigError("data=PATH is required: a CSV of area, year, population")
        horizons = [int(h) for h in cfg.horizons]
        if not horizons or min(horizons) < 1:
            raise ConfigError(f"horizons={horizons}: must be positive integers")
        base_period = int(cfg.base_period)
        path = Path(str(cfg.data)).expanduser().resolve()
        if path.is_file() and has_ages(path):
            ds, summary = age_backtest(cfg, path, horizons)
            write_outputs(cfg, ds, summary, out)
            return
        if cfg.get("births") or cfg.get("deaths"):
            raise ConfigError(
                "births= and deaths= need age-structured data= (area, year, sex, age, population)"
            )
        methods = method_specs(
            list(cfg.methods),
            base_period,
            bool(cfg.get("empirical_intervals", True)),
            cfg.get("recent_launches"),
        )
        totals = load_totals(path, str(cfg.area_column))
        years = totals["year"].unique()
        launches = (
            default_launch_years(years, horizons, base_period)
            if cfg.launch_years is None
            else [int(y) for y in cfg.launch_years]
        )
        if not launches:
            raise ConfigError("launch_years: no launch year leaves the horizons observable")
        rng = np.random.default_rng(np.random.SeedSequence(int(cfg.seed)))
        print(f"backtest: {len(methods)} methods x {len(launches)} launch years", file=sys.stderr)
        ds = rolling_origin(totals, methods, launches, horizons, int(cfg.n_samples), rng)
    except (ConfigError, ForecastingError, ValueError) as exc:
        print(f"servicesim-backtest: error: {exc}", file=sys.stderr)
        sys.exit(2)
    write_outputs(cfg, ds, summarise(ds), out)


def write_outputs(cfg: DictConfig, ds, summary: pd.DataFrame, out: Path) -> None:
    """Write backtest.nc, backtest.csv and the plot (each atomically), print the table."""
    ds.attrs["config"] = OmegaConf.to_yaml(cfg)
    write_atomic(ds, out / "backtest.nc")
    fd, tmp = tempfile.mkstemp(dir=out, suffix=".csv")
    os.close(fd)
    summary.to_csv(tmp, index=False, float_format="%.3f")
    os.replace(tmp, out / "backtest.csv")
    error_plot(summary, out / "backtest_error_by_horizon.png")
    with pd.option_context("display.width", 160, "display.max_rows", 500):
        print(summary.round(2).to_string(index=False))
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
