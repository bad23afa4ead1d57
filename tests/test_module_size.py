"""Small modules with one job: no Python module of the project exceeds 400 lines."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("servicesim", "experiments", "scenarios", "simulation", "forecasting", "tools")
MAX_LINES = 400


def line_count(path: Path) -> int:
    """Number of lines of a text file (a last line without a newline counts)."""
    return len(path.read_text(encoding="utf-8").splitlines())


def test_the_checked_packages_exist_and_hold_modules():
    for package in PACKAGES:
        assert any((REPO / package).rglob("*.py")), package


def test_no_module_exceeds_400_lines():
    sizes = {
        path.relative_to(REPO).as_posix(): line_count(path)
        for package in PACKAGES
        for path in sorted((REPO / package).rglob("*.py"))
    }
    offenders = {name: n for name, n in sizes.items() if n > MAX_LINES}
    listing = "\n".join(f"  {name}: {n} lines" for name, n in sorted(offenders.items()))
    assert not offenders, f"modules over {MAX_LINES} lines:\n{listing}"
