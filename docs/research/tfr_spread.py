"""Choose ``forecast.tfr_spread``: coverage of the stochastic TFR paths' 80 % interval.

For each of the 19 regions and each launch 2000-2018, the damped-trend ETS model of
the region's log TFR (``forecasting.rate_paths.tfr_paths``, fitted 1990..launch) gives
1,000 paths; the log deviations from the median are multiplied by ``1 + (s - 1) h / 5``
(``forecasting.rate_paths.widen``) and the share of observed TFRs inside the 80 %
interval at 5 and 10 years is printed for each ``s``. The choice: the ``s`` whose
selection coverage (launches 2000-2011) is closest to 80 % at both horizons (smallest
sum of distances); the out-of-sample launches 2012-2018 (5 y) and 2012-2013 (10 y) are
printed beside it. Run from the repository root (a minute or two):

    PYTHONPATH=. python docs/research/tfr_spread.py
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.api import shipped_rates_dir
from forecasting.inputs import read_rate_tables
from forecasting.rate_paths import tfr_paths, widen

SPREADS = np.round(np.arange(1.0, 4.01, 0.2), 1)


def paths_table() -> pd.DataFrame:
    """Rows (launch, region, horizon): observed log TFR and the paths (as an array column)."""
    tables = read_rate_tables(shipped_rates_dir())
    tfr = tables.tfr.assign(region=tables.tfr["region_code"].astype(str))
    rng = np.random.default_rng(0)
    rows = []
    for launch in range(2000, 2019):
        for region in sorted(set(tfr["region"]) - {"246"}):
            code = tfr.loc[tfr["region"] == region, "region_code"].iloc[0]
            paths = tfr_paths(tables, code, 1990, launch, 10, 1000, rng)
            for h in (5, 10):
                seen = tfr[(tfr["region"] == region) & (tfr["year"] == launch + h)]["tfr"]
                if len(seen):
                    rows.append({"launch": launch, "h": h, "observed": float(seen.iloc[0]),
                                 "paths": paths})  # fmt: skip
    return pd.DataFrame(rows)


def main() -> None:
    """Print the 80 % coverage (%) by spread, period and horizon."""
    table = paths_table()
    out = []
    for s in SPREADS:
        inside = []
        for row in table.itertuples():
            sims = widen(row.paths, float(s))[:, row.h - 1]
            lo, hi = np.quantile(sims, [0.1, 0.9])
            inside.append(lo <= row.observed <= hi)
        frame = table.assign(inside=inside)
        frame["period"] = np.where(frame["launch"] <= 2011, "selection", "out-of-sample")
        cover = frame.groupby(["period", "h"])["inside"].mean() * 100
        out.append({"spread": s, **{f"{p} {h} y": round(v, 1) for (p, h), v in cover.items()}})
    result = pd.DataFrame(out)
    result["selection distance"] = (result["selection 5 y"] - 80).abs() + (
        result["selection 10 y"] - 80
    ).abs()
    print(result.to_string(index=False))


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
