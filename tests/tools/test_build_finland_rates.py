"""tools/build_finland_rates.py rebuilds the shipped rate tables byte for byte."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
SHIPPED = REPO / "forecasting" / "data" / "finland"


def load_tool(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def shared() -> Path:
    if not (SHARED / "data").is_dir():
        reason = f"../shared not found at {SHARED}"
        if os.environ.get("CI"):
            pytest.fail(f"CI runs with ../shared beside the clone: {reason}")
        pytest.skip(reason)
    return SHARED


def test_rebuilt_rate_tables_equal_the_shipped_ones(shared, tmp_path, capsys):
    load_tool("build_finland_rates").main(["--shared", str(shared), "--out", str(tmp_path)])
    built = sorted(p.name for p in tmp_path.glob("*.csv"))
    assert built == sorted(p.name for p in SHIPPED.glob("*.csv"))
    for name in built:
        assert (tmp_path / name).read_bytes() == (SHIPPED / name).read_bytes(), name
    assert "rows" in capsys.readouterr().out
