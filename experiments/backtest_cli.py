"""The ``servicesim-backtest`` command: rolling-origin backtest of population forecasts.

A thin Hydra layer over :func:`forecasting.api.backtest` (the same function the
Python API exposes).
Writes ``backtest.nc`` (every forecast, interval and outcome), ``backtest.csv`` (the
summary by method, horizon and size class) and ``backtest_error_by_horizon.png``
into the Hydra output folder, and prints the summary.
"""

from __future__ import annotations

import sys
from pathlib import Path

import hydra
import matplotlib
import numpy as np
import pandas as pd
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

from experiments.output import write_atomic, write_via
from experiments.settings import ConfigError
from forecasting.api import (  # noqa: F401  (re-exported for the tests and old callers)
    AGE_METHODS,
    METHODS,
    backtest,
    default_launch_years,
    has_ages,
    load_totals,
    method_specs,
)
from forecasting.errors import ForecastingError
from forecasting.options import ForecastOptions, OptionError

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


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
    write_via(target, lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    plt.close(fig)
    return target


DEPRECATED = {
    "ccm_base_period": "base_period",
    "ccm_old_age_mortality": "old_age_mortality",
    "ccm_e0_trend": "e0_trend",
    "ccm_tfr_period": "tfr_period",
    "age_n_samples": "n_samples",
    "rates_dir": "rates_dir",
}
"""Old option -> the ``forecast.*`` option it sets (with a deprecation warning)."""


def forecast_options(cfg: DictConfig) -> ForecastOptions:
    """Read the cohort-component options: ``forecast.*``, deprecated aliases applied.

    Each alias in :data:`DEPRECATED` that is set (not ``???``) prints a warning naming
    the new option and overrides it.

    Raises
    ------
    ConfigError
        Naming the option (as ``forecast.NAME``) and the rule it breaks.
    """
    values = OmegaConf.to_container(cfg.forecast, resolve=True) if cfg.get("forecast") else {}
    for old, new in DEPRECATED.items():
        if old in cfg and not OmegaConf.is_missing(cfg, old):
            value = cfg[old]
            print(
                f"servicesim-backtest: warning: {old} is deprecated; use forecast.{new}={value}",
                file=sys.stderr,
            )
            values[new] = value
    try:
        return ForecastOptions.from_mapping(values)
    except OptionError as exc:
        raise ConfigError(str(exc)) from None


@hydra.main(version_base="1.3", config_path="conf", config_name="backtest")
def main(cfg: DictConfig) -> None:
    """Validate the options, run the backtest and write its files."""
    out = Path(HydraConfig.get().runtime.output_dir)
    try:
        if cfg.data is None:
            raise ConfigError("data=PATH is required: a CSV of area, year, population")
        ds, summary = backtest(
            Path(str(cfg.data)).expanduser().resolve(),
            births=_path(cfg.get("births")),
            deaths=_path(cfg.get("deaths")),
            area_column=str(cfg.area_column),
            horizons=list(cfg.horizons),
            launch_years=None if cfg.launch_years is None else list(cfg.launch_years),
            methods=list(cfg.methods),
            age_methods=list(cfg.age_methods),
            options=forecast_options(cfg),
            schedules=str(cfg.get("schedules", "auto")),
            drop_areas=[str(a) for a in cfg.drop_areas],
            base_period=int(cfg.base_period),
            n_samples=int(cfg.n_samples),
            seed=int(cfg.seed),
            empirical_intervals=bool(cfg.get("empirical_intervals", True)),
            recent_launches=cfg.get("recent_launches"),
        )
    except (ConfigError, ForecastingError, ValueError) as exc:
        print(f"servicesim-backtest: error: {exc}", file=sys.stderr)
        sys.exit(2)
    write_outputs(cfg, ds, summary, out)


def _path(value: object) -> Path | None:
    return None if value in (None, "") else Path(str(value)).expanduser().resolve()


def write_outputs(cfg: DictConfig, ds, summary: pd.DataFrame, out: Path) -> None:
    """Write backtest.nc, backtest.csv and the plot (each atomically), print the table."""
    ds.attrs["config"] = OmegaConf.to_yaml(cfg)
    write_atomic(ds, out / "backtest.nc")
    write_via(
        out / "backtest.csv", lambda tmp: summary.to_csv(tmp, index=False, float_format="%.3f")
    )
    error_plot(summary, out / "backtest_error_by_horizon.png")
    with pd.option_context("display.width", 160, "display.max_rows", 500):
        print(summary.round(2).to_string(index=False))
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
