"""What every part of the report needs to know: language, world, plans and their names.

The report is built from ``comparison.nc`` alone. Names come from the config files in
the chosen language (:func:`experiments.i18n.label`): scenario and strategy titles and
descriptions as the runs recorded them (``plan_labels`` of the comparison, written by
:func:`plan_labels`), else the shipped ``conf/scenario`` and ``conf/strategy`` files,
else the bare name; service titles and units from the world's ``services.yaml``.
The status quo comes first wherever plans are listed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr
import yaml

from experiments.i18n import check_language, label, translator, world_language
from experiments.periods import parse_config
from scenarios.worlds.loader import embedded_world_path, embedded_worlds

STATUS_QUO = "status_quo"
CONF = Path(__file__).resolve().parent / "conf"


def plan_labels(run_attrs: Sequence[dict]) -> str:
    r"""Return the scenario and strategy titles and descriptions of the runs, as JSON.

    Read from each run's recorded config (``attrs["config"]``, the RunSpec YAML);
    runs without one add nothing. Stored in ``comparison.nc`` so that the report
    names plans as their config files do, in every language.

    Examples
    --------
    >>> config = "scenario: {name: a, title: {fi: A-fi}}\nstrategy: {name: b}\n"
    >>> json.loads(plan_labels([{"config": config}]))["scenario"]
    {'a': {'title': {'fi': 'A-fi'}}}
    """
    out: dict[str, dict] = {"scenario": {}, "strategy": {}}
    for attrs in run_attrs:
        try:
            config = parse_config(str(attrs.get("config", ""))) or {}
        except yaml.YAMLError:
            continue
        for part in ("scenario", "strategy"):
            node = config.get(part) if isinstance(config, dict) else None
            if not isinstance(node, dict) or "name" not in node:
                continue
            texts = {k: node[k] for k in ("title", "description") if node.get(k)}
            if texts:
                out[part].setdefault(str(node["name"]), texts)
    return json.dumps(out, ensure_ascii=False, sort_keys=True)


def _shipped(group: str, name: str) -> dict:
    path = CONF / group / f"{name}.yaml"
    if not path.is_file():
        return {"name": name}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {"name": name}


def world_folder(ds: xr.Dataset) -> Path | None:
    """Return the world folder of the comparison's runs (None if it is not here)."""
    where = str(ds.attrs.get("world_path", ""))
    if where.startswith("embedded:"):
        where = where.removeprefix("embedded:")
    elif where and Path(where).is_dir():
        return Path(where)
    name = where or str(ds.attrs.get("world", ""))
    return embedded_world_path(name) if name in embedded_worlds() else None


def _read_yaml(folder: Path | None, name: str) -> Any:
    if folder is None or not (folder / name).is_file():
        return None
    return yaml.safe_load((folder / name).read_text(encoding="utf-8"))


_BY_AREA = re.compile(r"^(?P<name>.+?)(?: \([^)]*\))? by postal-code area$")


def world_title(meta: dict, gettext: Callable[[str], str]) -> str:
    """Return the world's title in the report's language.

    The builder's English pattern ``NAME (...) by postal-code area`` is translated; any
    other title is the world's own text.

    Examples
    --------
    >>> world_title({"title": "Sysmä (municipality 781) by postal-code area"}, str)
    'Sysmä by postal-code area'
    """
    title = str(meta.get("title") or meta.get("name") or "")
    match = _BY_AREA.match(title)
    if match is None:
        return title
    _ = gettext
    return _("{name} by postal-code area").format(name=match["name"])


def ordered(names: Sequence[str]) -> list[str]:
    """Names in their order, the status quo first.

    Examples
    --------
    >>> ordered(["reactive", "status_quo", "proactive"])
    ['status_quo', 'reactive', 'proactive']
    """
    return sorted(names, key=lambda n: n != STATUS_QUO)


@dataclass(frozen=True)
class ReportContext:
    """The language, the world and the names of a report."""

    lang: str
    gettext: Callable[[str], str]
    world_title: str
    world_meta: dict
    world: Path | None
    scenarios: list[str]
    strategies: list[str]
    plans: list[tuple[str, str]]
    years: list[int]
    n_runs: int
    n_seeds: int
    texts: dict = field(default_factory=dict)
    services: dict = field(default_factory=dict)

    @property
    def base_year(self) -> int:
        """The last year of data: the world's base year (the year before the horizon)."""
        return int(self.world_meta.get("base_year", self.years[0] - 1))

    def title(self, part: str, name: str) -> str:
        """Return the translated title of a scenario or strategy."""
        return label(self.texts[part].get(name, {"name": name}), "title", self.lang)

    def description(self, part: str, name: str) -> str:
        """Return the translated description of a scenario or strategy (may be empty)."""
        return label(self.texts[part].get(name, {"name": name}), "description", self.lang)

    def plan(self, scenario: str, strategy: str) -> str:
        """Return a plan's name: scenario and strategy titles."""
        return f"{self.title('scenario', scenario)} · {self.title('strategy', strategy)}"

    def service(self, service_id: str) -> str:
        """Return the translated title of a service."""
        return label(self.services.get(service_id, {"id": service_id}), "title", self.lang)


def _plans(ds: xr.Dataset, scenarios: list[str], strategies: list[str]) -> list[tuple[str, str]]:
    """Return the (scenario, strategy) pairs with at least one run."""
    any_run = ds["metric_cost_per_year"].notnull().any("seed")
    return [
        (s, k) for s in scenarios for k in strategies if bool(any_run.sel(scenario=s, strategy=k))
    ]


def build_context(ds: xr.Dataset, lang: str | None = None) -> ReportContext:
    """Gather what the report needs from ``comparison.nc`` and the world's files.

    Parameters
    ----------
    ds : xarray.Dataset
        The comparison (:mod:`experiments.aggregate`).
    lang : {"fi", "sv", "en"}, optional
        Output language; by default the world's (``language`` of its world.yaml).

    Raises
    ------
    ValueError
        On an unknown language.
    """
    folder = world_folder(ds)
    meta = _read_yaml(folder, "world.yaml") or {}
    lang = check_language(lang) if lang is not None else world_language(meta)
    stored = json.loads(str(ds.attrs.get("plan_labels", "{}")) or "{}")
    scenarios = ordered([str(s) for s in ds["scenario"].values])
    strategies = ordered([str(k) for k in ds["strategy"].values])
    texts = {
        part: {
            name: {"name": name, **_shipped(part, name), **stored.get(part, {}).get(name, {})}
            for name in names
        }
        for part, names in (("scenario", scenarios), ("strategy", strategies))
    }
    services = {str(s.get("id")): s for s in (_read_yaml(folder, "services.yaml") or [])}
    years = sorted({int(y) for y in np.unique(ds["time"].dt.year.values)}) if "time" in ds else []
    _ = translator(lang, "report").gettext
    title = world_title(meta, _) if meta else str(ds.attrs.get("world", ""))
    return ReportContext(
        lang=lang,
        gettext=_,
        world_title=title,
        world_meta=meta,
        world=folder,
        scenarios=scenarios,
        strategies=strategies,
        plans=_plans(ds, scenarios, strategies),
        years=years or [int(meta.get("base_year", 0)) + 1],
        n_runs=int(ds.attrs.get("n_runs", int(ds["metric_cost_per_year"].notnull().sum()))),
        n_seeds=int(ds.sizes.get("seed", 0)),
        texts=texts,
        services=services,
    )
