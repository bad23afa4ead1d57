"""tools/build_finland_rates.py rebuilds the shipped rate tables byte for byte."""

from __future__ import annotations

from tests.tools.conftest import REPO, load_tool

SHIPPED = REPO / "forecasting" / "data" / "finland"


def test_rebuilt_rate_tables_equal_the_shipped_ones(shared, tmp_path, capsys):
    load_tool("build_finland_rates").main(["--shared", str(shared), "--out", str(tmp_path)])
    built = sorted(p.name for p in tmp_path.glob("*.csv"))
    assert built == sorted(p.name for p in SHIPPED.glob("*.csv"))
    for name in built:
        assert (tmp_path / name).read_bytes() == (SHIPPED / name).read_bytes(), name
    assert "rows" in capsys.readouterr().out
