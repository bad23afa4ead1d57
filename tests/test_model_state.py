"""The model declares all its state in ``__init__``: nothing adds attributes to it later.

A run steps every phase, applies every kind of network change and consults
strategies that read the model; afterwards the model holds exactly the attributes it
held when it was built (``vars(model)``), and no facility agent gained any either.
"""

import pytest

from scenarios.strategies import build_strategy, with_inputs
from simulation import ServiceModel
from tests.factories import drifting_path, small_world
from tests.growth import forecast_of, trend_path
from tests.network import run_network

#: One change of every operation.
CHANGES = [
    {
        "op": "open",
        "id": "N",
        "zone": "Z1",
        "capacity": {"primary_health_care": 40},
        "decided": "2024-01",
        "lead_time_months": 2,
    },
    {"op": "relocate", "facility": "F2", "zone": "Z0", "decided": "2024-03"},
    {"op": "merge", "facility": "F0", "into": "F1", "decided": "2024-05"},
    {
        "op": "resize",
        "facility": "F1",
        "service": "primary_health_care",
        "capacity": 90,
        "decided": "2024-06",
    },
    {"op": "co_locate", "facilities": ["F1"], "into": "N", "decided": "2025-02"},
    {"op": "open_seasonally", "facility": "N", "months": [1, 2, 6, 7], "decided": "2025-03"},
    {"op": "school_transport", "km": 3.0, "decided": "2024-08"},
    {
        "op": "add_mobile_route",
        "id": "van",
        "services": ["primary_health_care"],
        "zones": ["Z1"],
        "capacity_per_month": 50,
        "cost_eur_per_year": 1000,
        "decided": "2024-04",
    },
    {"op": "add_digital_channel", "service": "primary_health_care", "decided": "2024-02"},
    {"op": "close", "facility": "N", "decided": "2025-10"},
]


def attribute_names(model: ServiceModel) -> tuple[set[str], list[set[str]]]:
    return set(vars(model)), [set(vars(f)) for f in model.facilities]


def test_a_run_with_every_change_adds_no_attribute_to_the_model():
    declared = {}

    def record(model):
        declared["model"] = attribute_names(model)

    # run_network builds the model, runs it and assembles results: capture the declared
    # attributes before the first step through a strategy consulted in month 1.
    class Spy:
        name = "spy"

        def plan(self, model):
            if "model" not in declared:
                record(model)
            return []

    ds, model = run_network(CHANGES, unit_costs={"primary_health_care": 100.0}, strategy=Spy())
    assert ds.sizes["change"] == len(CHANGES)
    assert attribute_names(model) == declared["model"]


@pytest.mark.parametrize("name", ["reactive", "proactive", "season_aware", "channel_shift"])
def test_strategies_add_no_attribute_to_the_model(name):
    world = small_world(n_zones=2, residents_per_cell=3, capacity=60.0, residences=20)
    path = trend_path(world, 3, 0.2)
    strategy = with_inputs(build_strategy(name), forecast=forecast_of(world, path))
    built = ServiceModel(world, path, 3, seed=1)
    before = attribute_names(built)
    _, model = run_network(world=world, years=3, seed=1, strategy=strategy, path=path)
    assert attribute_names(model) == before


def test_unit_costs_and_the_starting_network_are_arguments():
    world = small_world(n_zones=2, residents_per_cell=1)
    model = ServiceModel(
        world,
        drifting_path(world, 1),
        1,
        seed=0,
        capacity_unit_cost_eur_per_year={"primary_health_care": 12},
        dormant=("F1",),
    )
    assert model.capacity_unit_cost_eur_per_year == {"primary_health_care": 12.0}
    assert model.network_start.dormant == ("F1",)
    assert model.network_start.school_transport_km == model.params.school_transport_km
    assert [f.in_network for f in model.facilities] == [
        f.facility_id != "F1" for f in model.facilities
    ]
    with pytest.raises(ValueError, match="dormant facilities"):
        ServiceModel(world, drifting_path(world, 1), 1, seed=0, dormant=("nowhere",))
