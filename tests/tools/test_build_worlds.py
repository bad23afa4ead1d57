"""tools/build_worlds.py rebuilds the shipped ``paijat_hame`` world byte for byte.

The full build from ``../shared/data`` takes about 1 s (0.94 s measured 2026-11-30).
"""

from __future__ import annotations

from tests.tools.conftest import REPO, load_tool

SHIPPED = REPO / "scenarios" / "worlds" / "paijat_hame"


def test_rebuilt_paijat_hame_equals_the_shipped_world(shared, tmp_path, capsys):
    load_tool("build_worlds").main(["--shared", str(shared), "--out", str(tmp_path)])
    built = tmp_path / "paijat_hame"
    names = sorted(p.name for p in built.iterdir())
    assert names == sorted(p.name for p in SHIPPED.iterdir())
    assert {"README.md", "world.yaml", "residents.csv", "facilities.csv"} <= set(names)
    for name in names:
        assert (built / name).read_bytes() == (SHIPPED / name).read_bytes(), name
    out = capsys.readouterr().out
    assert "== paijat_hame" in out
    assert "residents: 204,479" in out
