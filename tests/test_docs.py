"""The documentation keeps up with the code: README length, options, results, public API.

The site itself is checked by ``mkdocs build --strict`` in ``.ci/run``; these tests check
that what the code offers is documented at all.
"""

import inspect
import re
from pathlib import Path

import pytest
import yaml

from tests.sweeps import SHORT, load, servicesim

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
CONF = ROOT / "experiments" / "conf"


def _page(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def _leaves(mapping: dict, prefix: str) -> list[str]:
    """Dotted names of the options of a config file (lists and mappings of lists are leaves)."""
    out = []
    for key, value in mapping.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and value and not key.endswith("_eur") and "per_year" not in key:
            out += _leaves(value, name)
        else:
            out.append(name)
    return out


def test_readme_is_short_and_keeps_the_quick_start():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme) <= 12_000, f"README.md has {len(readme)} characters; at most 12,000"
    assert "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/servicesim" in readme
    test_command = (
        'python3 -m venv .venv && .venv/bin/pip install ".[test]" && '
        ".venv/bin/pytest --benchmark-skip"
    )
    assert test_command in readme
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8"), "CI runs it verbatim"


@pytest.mark.parametrize("group", ["forecast", "simulation", "costs", "sweep"])
def test_every_config_option_is_in_the_reference(group):
    page = _page("reference/config.md")
    options = yaml.safe_load((CONF / group / "default.yaml").read_text(encoding="utf-8"))
    missing = [
        name
        for name in _leaves(options, group)
        if f"`{name}`" not in page and f"`{name}." not in page
    ]
    assert not missing, f"docs/reference/config.md lacks {missing}"


def test_every_top_level_option_and_strategy_parameter_is_in_the_reference():
    page = _page("reference/config.md")
    top = yaml.safe_load((CONF / "config.yaml").read_text(encoding="utf-8"))
    missing = [f"`{key}`" for key in top if key != "defaults" and f"`{key}`" not in page]
    for path in sorted((CONF / "strategy").glob("*.yaml")):
        strategy = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert f"`{strategy['name']}`" in page, strategy["name"]
        missing += [f"`{p}` ({path.stem})" for p in strategy["params"] if f"`{p}`" not in page]
    assert not missing, f"docs/reference/config.md lacks {missing}"


def test_every_backtest_option_is_in_the_cli_reference():
    page = _page("reference/cli.md")
    options = yaml.safe_load((CONF / "backtest.yaml").read_text(encoding="utf-8"))
    missing = [
        key for key in options if key not in ("hydra", "defaults") and f"`{key}`" not in page
    ]
    assert not missing, f"docs/reference/cli.md lacks the servicesim-backtest options {missing}"


def test_every_public_name_of_servicesim_is_documented():
    import servicesim

    api = _page("api/servicesim.md")
    assert re.search(r"^::: servicesim$", api, re.M), (
        "docs/api/servicesim.md must render ::: servicesim"
    )
    assert "members:" not in api, "the API page must render every name of servicesim.__all__"
    pages = "\n".join(p.read_text(encoding="utf-8") for p in DOCS.rglob("*.md"))
    public = [n for n in servicesim.__all__ if inspect.isfunction(getattr(servicesim, n))]
    missing = [n for n in public if f"servicesim.{n}" not in pages]
    assert not missing, f"no page of docs/ shows servicesim.{missing} in use"


@pytest.mark.slow
def test_every_results_variable_is_in_the_reference_with_its_units(tmp_path):
    done = servicesim(*SHORT, "horizon_years=1", "hydra.run.dir=run", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    ds = load(tmp_path / "run" / "results.nc")
    rows = {}
    results_nc = re.split(r"^## .*comparison", _page("reference/results.md"), flags=re.M)[0]
    for line in results_nc.splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        names = re.findall(r"`([a-z0-9_]+)`", line.split("|")[1]) if line.count("|") > 2 else []
        for name in names:
            rows.setdefault(name, []).append(cells)
    problems = []
    for name, var in ds.variables.items():
        if name in ds.dims:
            continue
        units = str(var.attrs.get("units", ""))
        if name not in rows:
            problems.append(f"{name} ({units or 'no units'}) has no row")
        elif units and not any(units in cells[1:] for cells in rows[name]):
            problems.append(f"{name}: units {units!r} not in its row")
    assert not problems, "docs/reference/results.md: " + "; ".join(problems)
