"""Which TFR model's paths cover 0-6 and 7-15 at 5 and 10 years? A fast, exact-in-births check.

The children of 0-6 (and 7-9 at 10 years) at ``T + h`` were born after the launch
``T``; a projection is linear in the births, and births are linear in the TFR
(the schedule is scaled, the women are those of the deterministic path). So, for a
TFR path ``f``, the group at ``T + h`` is ``sum_a P[a] * f[T + h - a] / f0`` over its
ages ``a`` born after ``T`` plus the deterministic count of the ages born before,
with ``P`` the deterministic projection (default options, held launch-year TFR
``f0``). This is the stochastic forecast's group without its migration and
mortality paths (checked against the full paths of ``fertility_paths.py``).

For each of the 19 regions and each launch 2000-2018 the deterministic projection
is cached in ``--out``; then each candidate TFR model gives 1,000 paths and the 80 %
coverage and the MAPE of the median of 0-6 and 7-15 at 5 and 10 years are printed,
selection launches 2000-2011 and out of sample 2012-2018 apart. The rule (fixed
before the out-of-sample rows were looked at): among the candidates, the one whose
selection coverage of 0-6 is closest to 80 % at 5 and 10 years (smallest sum of
distances), ties to the simplest. Run from the repository root:

    PYTHONPATH=. python docs/research/fertility_models.py --data ../shared/data \
        --out /tmp/fertility-models
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.api import shipped_rates_dir
from forecasting.area_rates import area_rates
from forecasting.cohort import project
from forecasting.fertility import level_paths, pooled_variances
from forecasting.inputs import read_rate_tables
from forecasting.options import ForecastOptions
from forecasting.population_inputs import read_population
from forecasting.rate_paths import TFR_BOUNDS, tfr_paths, tfr_walk_paths, widen

LAUNCHES = range(2000, 2019)
HORIZONS = (5, 10)
N_PATHS = 1000
GROUPS = {"0-6": (0, 6), "7-15": (7, 15)}


def deterministic(data: Path) -> pd.DataFrame:
    """Rows (launch, area, horizon, age 0-15): deterministic and observed count, f0."""
    population = read_population(data / "finland_regional_population_age_sex.csv",
                                 "region_code", drop_areas=("246",))  # fmt: skip
    tables = read_rate_tables(shipped_rates_dir())
    o = ForecastOptions()
    last = int(population["year"].max())
    rows = []
    for launch in LAUNCHES:
        history = population.sel(year=slice(None, launch))
        years = np.arange(launch + 1, launch + max(HORIZONS) + 1)
        for area in map(str, population["area"].values):
            rates = area_rates(area, history, years, tables, base_period=o.base_period,
                               e0_trend=o.e0_trend, old_age_mortality=o.old_age_mortality,
                               tfr_period=o.tfr_period, **o.jump_off())  # fmt: skip
            base = history.sel(area=[area], year=launch).drop_vars("year")
            det = project(base, rates, years)["population"].isel(area=0, sample=0).sum("sex")
            f0 = float(rates.attrs["tfr_assumed"])
            for h in HORIZONS:
                if launch + h > last:
                    continue
                seen = population.sel(area=area, year=launch + h).sum("sex")
                for age in range(16):
                    rows.append({"launch": launch, "area": area, "horizon": h, "age": age,
                                 "det": float(det.sel(year=launch + h, age=age)),
                                 "observed": float(seen.sel(age=age)), "f0": f0})  # fmt: skip
        print("launch", launch, flush=True)
    return pd.DataFrame(rows)


def births_proxy(data: Path) -> pd.DataFrame:
    """Log of age-0 persons per woman aged 20-39 a year before, by year and region, 1973-."""
    pop = pd.read_csv(data / "finland_regional_population_age_sex.csv")
    pop = pop[pop["region_code"].astype(str) != "246"]
    infants = pop[pop["age"] == 0].groupby(["year", "region_code"])["population"].sum()
    women = pop[(pop["sex"] == "female") & pop["age"].between(20, 39)]
    women = women.groupby(["year", "region_code"])["population"].sum().unstack()
    return np.log(infants.unstack() / women.shift(1)).dropna(how="all")


def log_tfr_table() -> pd.DataFrame:
    """Observed log TFR, years x regions (with the whole country, 246, as the forecast pools)."""
    tfr = read_rate_tables(shipped_rates_dir()).tfr
    return np.log(tfr.pivot(index="year", columns="region_code", values="tfr"))


def candidates() -> list[tuple[str, str, float]]:
    """(label, model, scale): the TFR models compared (scale: widening or factor on sd)."""
    out = [(f"ETS + widen {s:g}", "ets", s) for s in (1, 2.6, 4, 5, 5.5, 6, 6.5, 7)]
    out += [(f"random walk x{c:g}", "walk", c) for c in (1, 1.1, 1.2, 1.5)]
    out += [(f"local level x{c:g}", "level", c) for c in (1, 2, 3, 3.25, 3.5, 3.75, 4, 5)]
    out += [(f"local level 1973- x{c:g}", "level_long", c) for c in (1, 1.1, 1.2, 1.5)]
    out += [(f"mean-reverting x{c:g}", "ar1", c) for c in (1, 2, 3, 4)]
    return out


def pooled_ar1(x: pd.DataFrame) -> tuple[float, float]:
    """AR(1) of log TFR around each region's mean, pooled: (rho, residual sd), OLS."""
    dev = x - x.mean()
    now, before = dev.iloc[1:].to_numpy().ravel(), dev.iloc[:-1].to_numpy().ravel()
    keep = np.isfinite(now) & np.isfinite(before)
    rho = float(np.clip((now[keep] @ before[keep]) / (before[keep] @ before[keep]), 0, 0.99))
    return rho, float(np.std(now[keep] - rho * before[keep]))


def tfr_candidate(model: str, scale: float, ctx: dict, rng: np.random.Generator) -> np.ndarray:
    """TFR paths (N_PATHS, 10) of one candidate for one region and launch."""
    series = ctx["series"]
    if model == "ets":
        return widen(ctx["ets"], scale)
    if model == "walk":
        steps = rng.normal(0, scale * ctx["walk_sd"], (N_PATHS, 10))
        return np.clip(np.exp(series[-1] + np.cumsum(steps, axis=1)), *TFR_BOUNDS)
    if model == "ar1":
        rho, sd, mean = ctx["ar1"][0], ctx["ar1"][1], ctx["series"].mean()
        x, out = np.full(N_PATHS, series[-1]), np.empty((N_PATHS, 10))
        for h in range(10):
            x = mean + rho * (x - mean) + rng.normal(0, scale * sd, N_PATHS)
            out[:, h] = x
        return np.clip(np.exp(out), *TFR_BOUNDS)
    variances = ctx["pooled"] if model == "level" else ctx["pooled_long"]
    return np.clip(np.exp(level_paths(series, variances, 10, N_PATHS, rng, scale)), *TFR_BOUNDS)


def group_paths(det: np.ndarray, f0: float, tfr: np.ndarray, h: int, lo: int, hi: int):
    """The group's paths at ``h`` years: ages born after the launch scaled by the TFR path."""
    return sum(det[a] * (tfr[:, h - a - 1] / f0 if a <= h - 1 else 1.0) for a in range(lo, hi + 1))


def score(det: pd.DataFrame, data: Path) -> pd.DataFrame:
    """Rows (launch, area, horizon, group, candidate): observed, 10th/50th/90th percentile."""
    tables = read_rate_tables(shipped_rates_dir())
    x, proxy = log_tfr_table(), births_proxy(data)
    x.columns, proxy.columns = x.columns.astype(str), proxy.columns.astype(str)
    codes = {str(c): c for c in tables.tfr["region_code"].unique()}
    rows = []
    for launch in LAUNCHES:
        ctx = {"pooled": pooled_variances(x.loc[1990:launch]),
               "pooled_long": pooled_variances(proxy.loc[:launch]),
               "walk_sd": float(np.sqrt((x.loc[1990:launch].diff() ** 2).stack().mean())),
               "ar1": pooled_ar1(x.loc[1990:launch])}  # fmt: skip
        for area in sorted(set(det["area"])):
            sub = det[(det["launch"] == launch) & (det["area"] == area)]
            rng = np.random.default_rng([launch, int(area)])
            ctx["series"] = x.loc[1990:launch, area].to_numpy()
            ctx["ets"] = tfr_paths(tables, codes[area], 1990, launch, 10, N_PATHS, rng)
            f0 = float(sub["f0"].iloc[0])
            by_h = {h: (s.sort_values("age")["det"].to_numpy(), s.sort_values("age")["observed"].to_numpy())
                    for h, s in sub.groupby("horizon")}  # fmt: skip
            for label, model, scale in candidates():
                tfr = tfr_candidate(model, scale, ctx, rng)
                for h, (d, seen) in by_h.items():
                    for g, (lo, hi) in {**GROUPS, "tfr": (0, 0)}.items():
                        if g == "tfr":
                            sims, obs = tfr[:, h - 1], float(np.exp(x.loc[launch + h, area]))
                        else:
                            sims, obs = group_paths(d, f0, tfr, h, lo, hi), seen[lo : hi + 1].sum()
                        p10, p50, p90 = np.quantile(sims, [0.1, 0.5, 0.9])
                        rows.append({"launch": launch, "area": area, "horizon": h, "group": g,
                                     "candidate": label, "observed": obs, "p10": p10,
                                     "p50": p50, "p90": p90})  # fmt: skip
        print("launch", launch, flush=True)
    return pd.DataFrame(rows)


def summary(table: pd.DataFrame, period: str) -> pd.DataFrame:
    """80 % coverage, MAPE and bias (%) of the median by candidate, group and horizon."""
    t = table[np.where(table["launch"] <= 2011, "selection", "out of sample") == period]
    t = t.assign(inside=(t["observed"] >= t["p10"]) & (t["observed"] <= t["p90"]),
                 ape=(t["p50"] / t["observed"] - 1).abs() * 100,
                 bias=(t["p50"] / t["observed"] - 1) * 100)  # fmt: skip
    s = t.groupby(["candidate", "group", "horizon"]).agg(
        cover=("inside", "mean"), mape=("ape", "mean"), bias=("bias", "mean"))  # fmt: skip
    s["cover"] *= 100
    return s.round(1)


def main() -> None:
    """Cache the deterministic projections, score every candidate, print both periods."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    cached, scored = args.out / "deterministic.csv", args.out / "candidates.csv"
    if not cached.exists():
        deterministic(args.data).to_csv(cached, index=False)
    det = pd.read_csv(cached, dtype={"area": str})
    if not scored.exists():
        score(det, args.data).to_csv(scored, index=False)
    table = pd.read_csv(scored, dtype={"area": str})
    print(compare(table).round(1).to_string())
    print(today().to_string())


def today(region: str = "7", launch: int = 2023) -> pd.DataFrame:
    """80 % interval and median of the TFR paths launched today, ETS x2.6 and walk x1.2."""
    tables = read_rate_tables(shipped_rates_dir())
    code = tables.tfr.loc[tables.tfr["region_code"].astype(str) == region, "region_code"].iloc[0]
    paths = {
        "ETS x2.6": widen(tfr_paths(tables, code, 1990, launch, 30, 4000,
                                    np.random.default_rng(0)), 2.6),
        "random walk x1.2": tfr_walk_paths(tables, code, 1990, launch, 30, 4000,
                                           np.random.default_rng(0), scale=1.2),
    }  # fmt: skip
    rows = {name: {f"{h} y": "{:.2f}-{:.2f} (median {:.2f})".format(
                *np.quantile(f[:, h - 1], [0.1, 0.9]), np.median(f[:, h - 1]))
                   for h in (5, 10, 20, 30)} for name, f in paths.items()}  # fmt: skip
    return pd.DataFrame(rows).T


def compare(table: pd.DataFrame) -> pd.DataFrame:
    """80 % coverage (%) of 0-6, TFR and 7-15 by candidate, both periods, and both rules.

    ``rule 0-6``: distance of the selection coverage of 0-6 from 80 % summed over
    5 and 10 years (the rule fixed first); ``rule 0-6 + TFR``: the same summed over
    0-6 and the TFR (the rule used, see the docs).
    """
    parts = {}
    for period, short in (("selection", "sel"), ("out of sample", "oos")):
        cover = summary(table, period)["cover"]
        for group, h in (("0-6", 5), ("0-6", 10), ("tfr", 5), ("tfr", 10), ("7-15", 10)):
            parts[f"{short} {group} {h} y"] = cover.xs((group, h), level=("group", "horizon"))
    out = pd.DataFrame(parts)
    far = (out[[f"sel {g} {h} y" for g in ("0-6", "tfr") for h in (5, 10)]] - 80).abs()
    out["rule 0-6"] = far.iloc[:, :2].sum(axis=1)
    out["rule 0-6 + TFR"] = far.sum(axis=1)
    return out.sort_values("rule 0-6 + TFR")


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
