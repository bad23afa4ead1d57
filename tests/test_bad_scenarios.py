"""Bad scenarios end in one clear ScenarioError naming scenario, change, field and value."""

from __future__ import annotations

import pytest

from scenarios.changes.scenario import build_scenario
from scenarios.errors import ScenarioError
from simulation import ServiceModel
from simulation.errors import WorldError
from tests.factories import drifting_path, small_world

HEALTH = "primary_health_care"


def resize(capacity, **extra):
    return {"op": "resize", "facility": "F1", "service": HEALTH, "capacity": capacity} | extra


def close(facility, decided="2024-03"):
    return {"op": "close", "facility": facility, "decided": decided}


CASES = {
    "resize to 1e300": (
        [resize(1e300, decided="2024-02")],
        "change 1 (resize): field 'capacity': 1e+300 must be <= 1e+09",
    ),
    "resize to inf": (
        [resize(float("inf"), decided="2024-02")],
        "change 1 (resize): field 'capacity': inf is not a finite number",
    ),
    "resize to nan": (
        [resize(float("nan"), decided="2024-02")],
        "change 1 (resize): field 'capacity': nan is not a finite number",
    ),
    "one-off cost nan": (
        [close("F0") | {"one_off_cost_eur": float("nan")}],
        "change 1 (close): field 'one_off_cost_eur': nan is not a finite number",
    ),
    "open with capacity inf": (
        [
            {
                "op": "open",
                "id": "N",
                "zone": "Z0",
                "capacity": {HEALTH: float("inf")},
                "decided": "2024-02",
            }
        ],
        "change 1 (open): field 'capacity': inf is not a finite number",
    ),
    "merge into itself": (
        [{"op": "merge", "facility": "F1", "into": "F1", "decided": "2024-02"}],
        "change 1 (merge): field 'into': 'F1' is also the facility merged; a facility cannot "
        "be merged or co-located into itself",
    ),
    "co_locate into itself": (
        [{"op": "co_locate", "facilities": ["F0", "F1"], "into": "F1", "decided": "2024-02"}],
        "change 1 (co_locate): field 'into': 'F1' is also the facility merged",
    ),
    "co_locate a facility twice": (
        [{"op": "co_locate", "facilities": ["F0", "F0"], "into": "F1", "decided": "2024-02"}],
        "change 1 (co_locate): field 'facilities': ['F0'] listed more than once",
    ),
    "merge into a closed facility": (
        [close("F1"), {"op": "merge", "facility": "F0", "into": "F1", "decided": "2024-05"}],
        "change 2 (merge): field 'into': facility 'F1' is already closed by change 1 "
        "(close, effective 2024-03) when this change takes effect (2024-05)",
    ),
    "resize a closed facility": (
        [resize(50, decided="2024-06"), close("F1")],
        "change 1 (resize): field 'facility': facility 'F1' is already closed by change 2 "
        "(close, effective 2024-03)",
    ),
    "close twice": (
        [close("F2"), close("F2", "2025-01")],
        "change 2 (close): field 'facility': facility 'F2' is already closed by change 1",
    ),
    "close a merged source": (
        [{"op": "merge", "facility": "F0", "into": "F1", "decided": "2024-02"}, close("F0")],
        "change 2 (close): field 'facility': facility 'F0' is already closed by change 1 (merge",
    ),
    "changes: foo": ("foo", "scenario 'bad': field 'changes': 'foo' must be a list of changes"),
    "a change that is not a mapping": (
        ["close F0"],
        "scenario 'bad', change 1 (None): 'close F0' must be a mapping with 'op'",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_scenario_gives_one_clear_error(case):
    changes, expected = CASES[case]
    with pytest.raises(ScenarioError) as err:
        build_scenario("bad", changes, small_world(), "2024-01", "2025-12")
    assert expected in str(err.value)


def test_changes_in_effect_order_are_accepted():
    # Resize before the close takes effect; a merge into a facility still open.
    changes = [
        close("F1", "2024-09"),
        resize(50, decided="2024-02"),
        {"op": "merge", "facility": "F2", "into": "F0", "decided": "2024-05"},
    ]
    scenario = build_scenario("ok", changes, small_world(), "2024-01", "2025-12")
    assert [c.op_name for c in scenario.changes] == ["close", "resize", "merge"]


@pytest.mark.parametrize("capacity", [1e300, float("inf"), float("nan")])
def test_the_model_refuses_a_capacity_that_would_overflow(capacity):
    world = small_world(capacity=capacity)  # built directly, past the loader's checks
    model = ServiceModel(world, drifting_path(world, 1), 1, seed=0)
    with pytest.raises(WorldError, match="capacity must be finite and <= 1e"):
        model.step()
