"""Checks of plain option values, shared by :class:`scenarios.spec.RunSpec` and its parts.

Every message names the option as the command line spells it (``seed``,
``forecast.n_samples``, ``simulation.choice``...), its value and the rule, so a Python
caller and the ``servicesim`` command see the same words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, fields, is_dataclass
from pathlib import Path
from typing import Any

import numpy as np

from scenarios.changes.costs import OBJECTIVES, CostSettings
from simulation.params import (
    CarAccess,
    ChoiceParams,
    DigitalSkill,
    ParameterError,
    Segment,
    SimulationParams,
)

__all__ = [
    "ConfigError",
    "check_bool",
    "check_choice",
    "check_int",
    "check_keys",
    "check_text",
    "cost_settings",
    "english",
    "plain",
    "simulation_params",
]


class ConfigError(ValueError):
    """A run option has a bad value; the message names the option, value and rule."""


def check_int(value: Any, option: str, lo: int, hi: int) -> int:
    """Return ``value`` if it is an integer in ``lo..hi``.

    Examples
    --------
    >>> check_int(3, "seed", 0, 9)
    3
    >>> check_int("3", "seed", 0, 9)
    Traceback (most recent call last):
    ...
    scenarios.spec_checks.ConfigError: seed='3': must be an integer
    """
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ConfigError(f"{option}={value!r}: must be an integer")
    if not lo <= value <= hi:
        raise ConfigError(f"{option}={value}: must be between {lo} and {hi}")
    return int(value)


def check_bool(value: Any, option: str) -> bool:
    """Return ``value`` if it is a real boolean (``"no"`` and ``1`` are refused).

    Examples
    --------
    >>> check_bool("maybe", "regret")
    Traceback (most recent call last):
    ...
    scenarios.spec_checks.ConfigError: regret='maybe': must be true or false
    """
    if not isinstance(value, bool | np.bool_):
        raise ConfigError(f"{option}={value!r}: must be true or false")
    return bool(value)


def check_choice(value: Any, option: str, allowed: list[str] | tuple[str, ...]) -> str:
    """Return ``value`` if it is one of ``allowed``."""
    if not isinstance(value, str) or value not in allowed:
        raise ConfigError(f"{option}={value!r}: allowed values are {sorted(allowed)}")
    return value


#: Languages a display text (title, description) may be given in.
TEXT_LANGUAGES = ("en", "fi", "sv")


def check_text(value: Any, option: str) -> str | dict[str, str]:
    """Return a display text: English text, or a mapping of language to text.

    Titles and descriptions of scenarios and strategies are shown in the report in
    Finnish, Swedish or English; they never change a run's results.

    Examples
    --------
    >>> check_text({"en": "Status quo", "fi": "Nykytila"}, "scenario.title")
    {'en': 'Status quo', 'fi': 'Nykytila'}
    >>> check_text({"de": "x"}, "scenario.title")
    Traceback (most recent call last):
    ...
    scenarios.spec_checks.ConfigError: scenario.title.de: not a language; allowed: en, fi, sv
    """
    if isinstance(value, str):
        return value
    if not isinstance(value, Mapping):
        raise ConfigError(f"{option}={value!r}: must be text or a mapping of language to text")
    out = {}
    for lang, text in value.items():
        if lang not in TEXT_LANGUAGES:
            raise ConfigError(
                f"{option}.{lang}: not a language; allowed: {', '.join(TEXT_LANGUAGES)}"
            )
        if not isinstance(text, str):
            raise ConfigError(f"{option}.{lang}={text!r}: must be text")
        out[str(lang)] = text
    return out


def english(text: str | Mapping[str, str]) -> str:
    """Return the English form of a display text (:func:`check_text`), or any form.

    Examples
    --------
    >>> english({"fi": "Nykytila", "en": "Status quo"}), english("Plain")
    ('Status quo', 'Plain')
    """
    if isinstance(text, str):
        return text
    return text.get("en") or next(iter(text.values()), "")


def check_keys(values: Any, option: str, allowed: list[str]) -> dict[str, Any]:
    """Return ``values`` as a dict if it is a mapping with only ``allowed`` keys."""
    if not isinstance(values, Mapping):
        raise ConfigError(f"{option}={values!r}: must be a mapping")
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        prefix = f"{option}." if option else ""
        raise ConfigError(f"{prefix}{unknown[0]}: not an option; allowed: {sorted(allowed)}")
    return dict(values)


def plain(value: Any) -> Any:
    """Plain YAML-ready containers: dataclasses and mappings to dicts, tuples to lists.

    Examples
    --------
    >>> plain({"a": (1, 2), "b": Path("/x")})
    {'a': [1, 2], 'b': '/x'}
    """
    if is_dataclass(value) and not isinstance(value, type):
        value = asdict(value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, np.generic):
        return value.item()
    return value


def _typed(cls: type, values: Any, option: str) -> Any:
    """Build dataclass ``cls`` from a mapping; lists become tuples, unknown keys fail."""
    if not isinstance(values, Mapping):
        raise ConfigError(f"{option}={values!r}: must be a mapping")
    allowed = [f.name for f in fields(cls)]
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise ConfigError(f"{option}: unknown keys {unknown}; allowed: {allowed}")
    typed = {k: tuple(v) if isinstance(v, list | tuple) else v for k, v in values.items()}
    try:
        return cls(**typed)
    except (ParameterError, TypeError) as exc:
        raise ConfigError(f"{option}: {exc}") from None


def _number(value: Any, option: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise ConfigError(f"{option}={value!r}: must be a number")
    return value


def simulation_params(values: Any) -> SimulationParams:
    """Validate the ``simulation`` options into :class:`SimulationParams`.

    Raises
    ------
    ConfigError
        Naming the option and its allowed values or range (an unknown key by name).

    Examples
    --------
    >>> simulation_params({"school_transport_km": 3.0}).school_transport_km
    3.0
    >>> simulation_params({"foo": 1})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    scenarios.spec_checks.ConfigError: simulation.foo: not an option; allowed: [...]
    """
    if isinstance(values, SimulationParams):
        return values
    values = check_keys(values, "simulation", [f.name for f in fields(SimulationParams)])
    defaults = SimulationParams()
    segments = values.get("segments")
    if segments is None:
        segments = defaults.segments
    elif not isinstance(segments, list | tuple):
        raise ConfigError("simulation.segments: must be a list of segments")
    else:
        segments = tuple(
            seg if isinstance(seg, Segment) else _typed(Segment, seg, f"simulation.segments[{i}]")
            for i, seg in enumerate(segments)
        )
    parts = {}
    for name, cls in (("car_access", CarAccess), ("digital_skill", DigitalSkill)):
        if values.get(name) is not None:
            part = values[name]
            parts[name] = part if isinstance(part, cls) else _typed(cls, part, f"simulation.{name}")
    if values.get("choice") is not None:
        part = values["choice"]
        if not isinstance(part, ChoiceParams):
            part = _typed(ChoiceParams, part, "simulation.choice")
        parts["choice"] = part
    km = values.get("school_transport_km", defaults.school_transport_km)
    share = values.get("standards_required_share", defaults.standards_required_share)
    school = values.get("school_service", defaults.school_service)
    if not isinstance(school, str):
        raise ConfigError(f"simulation.school_service={school!r}: must be a service name")
    try:
        return SimulationParams(
            school_transport_km=_number(km, "simulation.school_transport_km"),
            school_service=school,
            standards_required_share=_number(share, "simulation.standards_required_share"),
            segments=segments,
            **parts,
        )
    except ParameterError as exc:
        raise ConfigError(str(exc)) from None


def cost_settings(values: Any) -> CostSettings:
    """Validate the ``costs`` options into :class:`CostSettings`.

    Raises
    ------
    ConfigError
        Naming the option and its value when a rate or cost is negative or not a number,
        or the objective is not one of :data:`scenarios.changes.costs.OBJECTIVES`.

    Examples
    --------
    >>> cost_settings({"discount_rate": 0.05}).discount_rate
    0.05
    >>> cost_settings({"discount_rate": -1})
    Traceback (most recent call last):
    ...
    scenarios.spec_checks.ConfigError: costs.discount_rate=-1: must be a number >= 0
    """
    if isinstance(values, CostSettings):
        values = asdict(values)
    values = check_keys(values, "costs", [f.name for f in fields(CostSettings)])
    if "objective" in values:
        check_choice(values["objective"], "costs.objective", OBJECTIVES)
    for key, value in values.items():
        if key == "objective":
            continue
        items = value.items() if isinstance(value, Mapping) else [("", value)]
        for sub, v in items:
            name = f"costs.{key}" + (f".{sub}" if sub else "")
            if isinstance(v, bool) or not isinstance(v, int | float) or v < 0:
                raise ConfigError(f"{name}={v!r}: must be a number >= 0")
    return CostSettings(**{k: dict(v) if isinstance(v, Mapping) else v for k, v in values.items()})
