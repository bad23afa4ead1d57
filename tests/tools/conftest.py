"""What the builder tests share: the repository, ../shared, and loading a tool by path."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
TOOLS = REPO / "tools"
if str(TOOLS) not in sys.path:  # the tools import their sibling modules by name
    sys.path.insert(0, str(TOOLS))


def load_tool(name: str) -> ModuleType:
    """Import ``tools/<name>.py`` (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location(name, TOOLS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ../shared folder the builders read; CI must have it, elsewhere skip."""
    if not (SHARED / "data").is_dir():
        reason = f"../shared not found at {SHARED}"
        if os.environ.get("CI"):
            pytest.fail(f"CI runs with ../shared beside the clone: {reason}")
        pytest.skip(reason)
    return SHARED
