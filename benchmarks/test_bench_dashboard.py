"""The dashboard's update time: one edit of the Sysmä plan, run and drawn (10 years, one seed).

What a click costs the workshop: the edited plan is checked (scenario checks and the
network rule), run with ``servicesim.run`` (forecast included, as the page does), its
key figures computed, and the page's five figures drawn to PNG. Wall time, since that
is what the room waits for; the process is warm (the page's first run has been made).
Run with::

    PYTHONPATH=$PWD python -m pytest -p no:cacheprovider --benchmark-only \\
        benchmarks/test_bench_dashboard.py -s

Target (issue 14): <= 5 s per update for Sysmä, 10 years, one seed.
"""

from __future__ import annotations

import io

from experiments.dashboard import edits, figures
from experiments.dashboard.plan import Plan
from experiments.dashboard.session import first_month, plan_world, start, update

TARGET_SECONDS = 5.0


def edit_and_draw(session, plan):
    new = update(session, plan)
    assert new.message == "" and new.previous is session.current
    cur, prev = new.current.results, new.previous.results
    drawn = [
        figures.map_figure(plan_world(plan), cur, prev, "fi"),
        figures.population_figure(cur, "fi"),
        figures.service_bars(cur, prev, "fi", lambda r: r.access_share, "", "%"),
        figures.service_bars(cur, prev, "fi", lambda r: r.p90_wait_days, "", ""),
        figures.cost_figure(cur, prev, "fi"),
    ]
    for fig in drawn:
        fig.savefig(io.BytesIO(), format="png")
    return new


def test_update_time_sysma_10_years(benchmark):
    session = start(Plan(world="sysma", horizon_years=10, seed=0), "fi")
    plan = edits.close(session.current.plan, "sysma_school_nuoramoinen", first_month(Plan()))
    new = benchmark.pedantic(edit_and_draw, args=(session, plan), rounds=5, iterations=1)
    print(
        f"\ndashboard update, Sysmä 10 years seed 0: median {benchmark.stats['median']:.2f} s, "
        f"min {benchmark.stats['min']:.2f} s, max {benchmark.stats['max']:.2f} s "
        f"(run alone {new.current.seconds:.2f} s)"
    )
    assert benchmark.stats["median"] <= TARGET_SECONDS
