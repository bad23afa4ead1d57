"""Reading and validating the rate tables."""

from __future__ import annotations

import shutil

import pytest

from forecasting import InputError, read_rate_tables
from forecasting.inputs import RATE_FILES

from .conftest import SHIPPED


def test_shipped_tables_are_valid(tables):
    assert set(tables.death_probabilities["age"]) == set(range(-1, 100))
    assert tables.death_probabilities["year"].between(2020, 2040).all()
    assert tables.death_probabilities["death_probability"].max() < 1
    assert "7" in set(tables.e0["region_code"])
    assert tables.net_migration_rates["age_to"].isna().sum() > 0  # the open 75+ group
    assert tables.source == str(SHIPPED)


def copy_tables(tmp_path):
    for name in RATE_FILES:
        shutil.copy(SHIPPED / name, tmp_path / name)
    return tmp_path


def edit(path, line_number: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert old in lines[line_number], lines[line_number]
    lines[line_number] = lines[line_number].replace(old, new, 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_every_problem_is_reported_at_once(tmp_path):
    folder = copy_tables(tmp_path)
    # line n of the file is data row n - 1
    edit(folder / "death_probabilities.csv", 3, ",female,", ",woman,")  # row 3, sex
    edit(folder / "death_probabilities.csv", 5, ",7e-05", ",1.7")  # row 5: probability > 1
    edit(folder / "tfr.csv", 2, "1.705", "abc")  # row 2: not a number
    edit(folder / "e0.csv", 1, "1,1990,", "1,1990.5,")  # row 1: fractional year
    (folder / "pasfr.csv").unlink()
    text = (folder / "net_migration_rates.csv").read_text(encoding="utf-8")
    (folder / "net_migration_rates.csv").write_text(text.replace(",rate\n", ",rates\n", 1))

    with pytest.raises(InputError) as caught:
        read_rate_tables(folder)
    problems = caught.value.problems
    expected = [
        "death_probabilities.csv row 3 column 'sex'",
        "death_probabilities.csv row 5 column 'death_probability'",
        "e0.csv row 1 column 'year'",
        "tfr.csv row 2 column 'tfr': not a number ('abc')",
        "pasfr.csv: file not found",
        "net_migration_rates.csv header row column 'rate': missing column",
    ]
    for text in expected:
        assert any(p.startswith(text) for p in problems), (text, problems)
    assert len(problems) == len(expected)
    assert str(caught.value).startswith("6 problems in the input files:")


def test_empty_cells_duplicates_and_open_groups(tmp_path):
    folder = tmp_path
    (folder / "death_probabilities.csv").write_text(
        "year,sex,age,death_probability\n2020,female,0,0.001\n2020,female,0,0.002\n"
    )
    (folder / "e0.csv").write_text("region_code,year,sex,e0\n,2020,male,\n")
    (folder / "tfr.csv").write_text("region_code,year,tfr\n7,2020,1.4\n")
    (folder / "pasfr.csv").write_text("region_code,year,age,pasfr_percent\n7,2020,30,100\n")
    (folder / "net_migration_rates.csv").write_text(
        "region_code,year,sex,age_from,age_to,rate\n7,2020,male,5,4,0.01\n7,2020,male,75,,0.0\n"
    )
    with pytest.raises(InputError) as caught:
        read_rate_tables(folder)
    problems = caught.value.problems
    assert "death_probabilities.csv row 2 column 'age': duplicate key" in problems[0]
    assert "e0.csv row 1 column 'region_code': empty region code" in problems
    assert "e0.csv row 1 column 'e0': empty cell" in problems
    assert "net_migration_rates.csv row 1 column 'age_to': smaller than age_from" in problems
    assert len(problems) == 4
