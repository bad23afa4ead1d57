"""Fixed source texts of the assumptions (:mod:`experiments.assumptions`).

English, marked for the ``tables`` catalogue; ``{world}`` is the world's folder. The
workbook translates a source by matching it against :data:`SOURCE_TEXTS`
(:mod:`experiments.tables_i18n`).
"""

from experiments.tables import N_

COSTS_SOURCE = N_("costs config (experiments/conf/costs/default.yaml; estimate, docs/scenarios.md)")
FORECAST_SOURCE = N_("forecast config (experiments/conf/forecast/default.yaml)")
RUN_SOURCE = N_("run config")
SIMULATION_SOURCE = N_("simulation config")
SCHOOL_LAW_SOURCE = N_("simulation config (Basic Education Act)")
NO_SOURCE = N_("simulation config (estimate, no source)")
USE_RATE_SOURCE = N_("{world}/services.yaml (estimate; basis in the world's README.md)")
CAPACITY_SOURCE = N_("{world}/facility_services.csv (sum over facilities)")
#: Every fixed source text (``{world}``: the world's folder); the workbook translates them.
SOURCE_TEXTS = (COSTS_SOURCE, FORECAST_SOURCE, RUN_SOURCE, SIMULATION_SOURCE, SCHOOL_LAW_SOURCE,
                NO_SOURCE, USE_RATE_SOURCE, CAPACITY_SOURCE)  # fmt: skip
