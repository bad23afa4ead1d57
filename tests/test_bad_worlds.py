"""Bad world folders end in one clear WorldFileError naming file, line, field and value.

Each case copies the embedded Sysmä world, spoils one file and loads it (issue 16).
"""

from __future__ import annotations

import pytest

from scenarios.errors import WorldFileError
from scenarios.worlds.limits import memory_problem
from scenarios.worlds.loader import load_world
from tests.bad_inputs import (
    copy_world,
    duplicate_row,
    header_only,
    read_table,
    read_yaml,
    set_cell,
    write_table,
    write_yaml,
)

CAPACITY = "facility_services.csv, line 2, field 'capacity_per_month'"


def _history_ten_times(folder):
    df = read_table(folder, "population_history.csv")
    last = df.index[df["year"] == "2023"]
    df.loc[last, "population"] = str(int(df.loc[last[0], "population"]) * 10)
    write_table(folder, "population_history.csv", df)


def _history_without_base_year(folder):
    df = read_table(folder, "population_history.csv")
    write_table(folder, "population_history.csv", df[df["year"] != "2023"])


def _all_zero_residents(folder):
    df = read_table(folder, "residents.csv")
    df["count"] = "0"
    write_table(folder, "residents.csv", df)


def _service(change):
    def edit(folder):
        doc = read_yaml(folder, "services.yaml")
        change(doc[0])
        write_yaml(folder, "services.yaml", doc)

    return edit


def _meta(change):
    def edit(folder):
        doc = read_yaml(folder, "world.yaml")
        change(doc)
        write_yaml(folder, "world.yaml", doc)

    return edit


def _text(name, text, encoding="utf-8"):
    def edit(folder):
        (folder / name).write_bytes(text.encode(encoding))

    return edit


def _latin1(name):
    def edit(folder):
        text = (folder / name).read_text(encoding="utf-8")
        (folder / name).write_bytes(text.replace("Sysmä", "Sysmä").encode("latin-1"))

    return edit


CASES = {
    "capacity 1e300": (
        lambda f: set_cell(f, "facility_services.csv", 0, "capacity_per_month", "1e300"),
        f"{CAPACITY}: '1e300' is outside [0, 1e+09]",
    ),
    "capacity inf": (
        lambda f: set_cell(f, "facility_services.csv", 0, "capacity_per_month", "inf"),
        f"{CAPACITY}: 'inf' is not a finite number",
    ),
    "capacity nan": (
        lambda f: set_cell(f, "facility_services.csv", 0, "capacity_per_month", "nan"),
        f"{CAPACITY}: 'nan' is not a finite number",
    ),
    "duplicate history year": (
        lambda f: duplicate_row(f, "population_history.csv", 48),
        "population_history.csv, line 54, field 'area_id, year': duplicate ('781', 2020): "
        "already on line 50",
    ),
    "history total 10x residents": (
        _history_ten_times,
        "population_history.csv, field 'population': area '781' had 34,960 residents in 2023 "
        "but residents.csv counts 3,496 there; they must agree within 5%",
    ),
    "duplicate facility service": (
        lambda f: duplicate_row(f, "facility_services.csv", 3),
        "facility_services.csv, line 9, field 'facility_id, service_id': duplicate "
        "('sysma_health_station', 'primary_health_care'): already on line 5",
    ),
    "duplicate resident cell": (
        lambda f: duplicate_row(f, "residents.csv", 0),
        "residents.csv, line 1618, field 'zone_id, sex, age': duplicate ('19230', 'female', 0)",
    ),
    "rate band reversed": (
        _service(lambda s: s["rates"][1].update(age_from=5, age_to=3)),
        "services.yaml (service 1), field 'rates[2].age_from': age_from 5 is above age_to 3",
    ),
    "min_age above max_age": (
        _service(lambda s: s.update(min_age=6, max_age=1)),
        "services.yaml (service 1), field 'min_age': min_age 6 is above max_age 1",
    ),
    "header-only facility_services.csv": (
        lambda f: header_only(f, "facility_services.csv"),
        "facility_services.csv: has a header but no rows",
    ),
    "header-only residents.csv": (
        lambda f: header_only(f, "residents.csv"),
        "residents.csv: has a header but no rows",
    ),
    "all-zero residents": (
        _all_zero_residents,
        "residents.csv, field 'count': every count is 0: a world needs residents",
    ),
    "header-only population_history.csv": (
        lambda f: header_only(f, "population_history.csv"),
        "population_history.csv: has a header but no rows",
    ),
    "history without the base year": (
        _history_without_base_year,
        "population_history.csv, field 'year': area '781' needs the base year 2023 and an "
        "earlier year from 1973; it has 51 year(s) 1972-2022",
    ),
    "profile_shares as a list": (
        _meta(lambda m: m["seasonal"].update(profile_shares=["leisure", 1.0])),
        "world.yaml, field 'seasonal.profile_shares': ['leisure', 1.0] must be a mapping",
    ),
    "service without id": (
        _service(lambda s: s.pop("id")),
        "services.yaml (service 1), field 'id': None must be a non-empty id",
    ),
    "rates: 5": (
        _service(lambda s: s.update(rates=5)),
        "services.yaml (service 1), field 'rates': 5 must be a list of age bands",
    ),
    "rate band as a list": (
        _service(lambda s: s["rates"].__setitem__(0, [1, 2, 0.4])),
        "services.yaml (service 1), field 'rates[1]': [1, 2, 0.4] must be a mapping",
    ),
    "no services": (
        _text("services.yaml", "[]\n"),
        "services.yaml: lists no services; a world needs at least one",
    ),
    "Latin-1 world.yaml": (
        _latin1("world.yaml"),
        "world.yaml: is not UTF-8 text (invalid continuation byte at byte",
    ),
    "empty world.yaml": (_text("world.yaml", ""), "world.yaml: is empty"),
    "empty services.yaml": (_text("services.yaml", "\n"), "services.yaml: is empty"),
    "1e12 residents": (
        lambda f: set_cell(f, "residents.csv", 0, "count", str(10**12)),
        "residents.csv, field 'count': the world has 1,000,000,021,093 persons "
        "(1,000,000,003,496 residents and 17,597 seasonal residents); a run holds at most "
        "2,147,483,647 (int32 household ids) and would need about 200 TB of memory",
    ),
    "1e13 residents": (
        lambda f: set_cell(f, "residents.csv", 0, "count", str(10**13)),
        "residents.csv, line 2, field 'count': '10000000000000' is outside [0, 1e+12]",
    ),
    "1e12 cottages": (
        lambda f: set_cell(f, "seasonal_residences.csv", 0, "residences", str(10**12)),
        "seasonal_residences.csv, field 'residences': the world has 4,700,000,019,189 persons",
    ),
    "1e10 residents": (
        lambda f: set_cell(f, "residents.csv", 0, "count", str(10**10)),
        "residents.csv, field 'count': the world has 10,000,021,093 persons (10,000,003,496 "
        "residents and 17,597 seasonal residents); a run holds at most 2,147,483,647",
    ),
    "1e9 cottages": (
        lambda f: set_cell(f, "seasonal_residences.csv", 0, "residences", str(10**9)),
        "seasonal_residences.csv, field 'residences': the world has 4,700,019,189 persons "
        "(3,496 residents and 4,700,015,693 seasonal residents)",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_world_gives_one_clear_error(tmp_path, case):
    spoil, expected = CASES[case]
    folder = copy_world(tmp_path)
    load_world(folder)  # the copy is valid before it is spoiled
    spoil(folder)
    with pytest.raises(WorldFileError) as err:
        load_world(folder)
    assert expected in str(err.value)
    assert str(folder) in str(err.value)


def test_too_big_a_world_is_refused_with_the_memory_it_needs():
    message = memory_problem(10**9, 0, available=16 * 10**9)
    assert "would need about 200 GB of memory, more than the 16 GB here" in message
    assert "int32" not in message
    assert memory_problem(10**7, 10**6, available=16 * 10**9) is None


@pytest.mark.parametrize(
    ("spoil", "first", "summary"),
    [
        (
            lambda f: set_cell(f, "zones.csv", 1, "zone_id", "19230"),
            "zones.csv, line 3, field 'zone_id': duplicate zone '19230'",
            "residents.csv, field 'zone_id': 202 row(s) refer to ids missing from zones.csv "
            "(e.g. '19310'), which has problems (listed above)",
        ),
        (
            lambda f: (f / "zones.csv").write_text((f / "zones.csv").read_text().replace(",", ";")),
            "zones.csv, line 1: missing columns ['zone_id', 'name', 'area_id', 'x_m', 'y_m']",
            "residents.csv, field 'zone_id': 1,616 row(s) not checked: they refer to zones.csv",
        ),
        (
            _latin1("zones.csv"),
            "zones.csv: is not UTF-8 text",
            "residents.csv, field 'zone_id': 1,616 row(s) not checked: they refer to zones.csv",
        ),
    ],
    ids=["duplicate id", "semicolons", "latin-1"],
)
def test_one_bad_zones_cell_shows_the_root_cause_first_and_summarises_the_rest(
    tmp_path, spoil, first, summary
):
    folder = copy_world(tmp_path)
    spoil(folder)
    with pytest.raises(WorldFileError) as err:
        load_world(folder)
    problems = err.value.problems
    assert str(problems[0]).startswith(first)
    assert len(problems) <= 10  # was 1,684 problems, one per row referring to a zone
    lines = str(err.value).splitlines()
    assert len(lines) <= 11
    follow_ons = problems[1:]
    assert follow_ons and all(p.row is None and "zones.csv" in p.message for p in follow_ons)
    assert summary in str(err.value)


def test_many_problems_of_one_field_are_counted_not_all_listed(tmp_path):
    folder = copy_world(tmp_path)
    df = read_table(folder, "residents.csv")
    df["count"] = "x"
    write_table(folder, "residents.csv", df)
    with pytest.raises(WorldFileError) as err:
        load_world(folder)
    assert len(err.value.problems) == 1616
    assert "residents.csv, field 'count': 1606 more like these" in str(err.value)
    assert len(str(err.value).splitlines()) == 12


def test_history_close_to_residents_is_accepted(tmp_path):
    folder = copy_world(tmp_path)
    df = read_table(folder, "population_history.csv")
    df.loc[df["year"] == "2023", "population"] = "3600"  # 3 % above residents.csv's 3,496
    write_table(folder, "population_history.csv", df)
    assert load_world(folder).population_history["781"][2023] == 3600


def test_every_reference_problem_is_still_listed_when_the_file_was_read(tmp_path):
    folder = copy_world(tmp_path)
    df = read_table(folder, "residents.csv")
    df.loc[:2, "zone_id"] = "nowhere"
    write_table(folder, "residents.csv", df)
    with pytest.raises(WorldFileError) as err:
        load_world(folder)
    rows = [p.row for p in err.value.problems]
    assert rows == [2, 3, 4]
