"""Every text of the dashboard, in one place, and its Finnish and Swedish translations.

:func:`messages` lists the English texts, each wrapped in ``_()`` so that
``pybabel extract`` finds them; the translations are the gettext domain ``dashboard``
(``experiments/locale/<lang>/LC_MESSAGES/dashboard.po`` and ``.mo``), read through
:func:`experiments.i18n.translator`. Texts with ``{}`` fields are filled with
``str.format`` after translation. The names of the embedded worlds' services and of
the standards' statuses are here too, so the page has no English left in Finnish or
Swedish.

Examples
--------
>>> texts("fi")["close"], texts("sv")["close"], texts("en")["close"]
('Sulje', 'Stäng', 'Close')
>>> set(texts("fi")) == set(texts("en"))
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from types import MappingProxyType

from experiments.i18n import (
    LANGUAGES,
    check_language,
    format_meur,
    format_percent,
    translator,
)

__all__ = [
    "LANGUAGES",
    "format_meur",
    "format_percent",
    "messages",
    "service_name",
    "texts",
]


def messages(_: Callable[[str], str]) -> dict[str, str]:  # noqa: PLR0915 - a catalogue
    """Return the dashboard's texts by key, each passed through ``_`` (the translation)."""
    return {
        "title": _("Service network workshop"),
        "language": _("Language"),
        "world": _("World"),
        "scenario": _("Scenario to start from"),
        "strategy": _("Planning strategy"),
        "horizon": _("Years simulated"),
        "assumptions": _("Assumptions"),
        "seasonal_use": _("Seasonal residents' use of services (x the estimate): {}"),
        "unit_cost": _("{}: cost of one unit of capacity, EUR a year"),
        "network": _("Service network"),
        "zone": _("Zone"),
        "service": _("Service"),
        "capacity": _("Capacity a month"),
        "open_months": _("Open in months"),
        "in_network": _("In the network"),
        "closed": _("Closed"),
        "close": _("Close"),
        "reopen": _("Reopen"),
        "set": _("Apply"),
        "new_facility": _("Open a new facility"),
        "open": _("Open"),
        "van": _("Add a van stop"),
        "van_services": _("Services on the van"),
        "add_stop": _("Add stop"),
        "van_note": _("The van: {} visits a month, {} days a month, {} a year (estimates)."),
        "digital": _("Add a digital channel"),
        "adoption": _("Share of the digitally able who use it: {}"),
        "add_channel": _("Add channel"),
        "edits": _("Changes in this plan"),
        "no_edits": _("No changes yet: the network of the scenario."),
        "remove": _("Remove"),
        "from_month": _("from {}"),
        "save": _("Save the plan"),
        "plan_name": _("Name of the plan"),
        "save_folder": _("Folder"),
        "saved": _("Saved {}. Run it with:"),
        "refused": _("This change was not made: {} The last valid plan is kept."),
        "gap": _("No facility would offer {service} from {month} ({facility} closes)."),
        "updated": _("Updated in {} s."),
        "key_figures": _("Key figures"),
        "previous": _("Previous plan"),
        "current": _("Current plan"),
        "access": _("Access: share within 20 min"),
        "npv": _("Cost, net present value"),
        "cost_year": _("Cost per year (mean)"),
        "unmet": _("Unmet demand"),
        "standards": _("Service standards met"),
        "worst_wait": _("Longest waiting time (P90)"),
        "days": _("{} days"),
        "of": _("{} of {}"),
        "map": _("Map of zones and facilities"),
        "map_value": _("Unmet demand, % of demand"),
        "map_access": _("Within 20 min of a service, % of eligible persons"),
        "population": _("Population forecast"),
        "residents": _("Permanent residents"),
        "seasonal_july": _("Seasonal residents present in July"),
        "persons": _("persons"),
        "year": _("year"),
        "status_table": _("Service standards"),
        "status": _("Standard"),
        "months_met": _("Months met"),
        "waiting": _("Waiting time: 90th percentile, worst month"),
        "cost": _("Cost per year"),
        "meur": _("million EUR"),
        "op_close": _("Closed"),
        "op_resize": _("New capacity"),
        "op_open_seasonally": _("Open only in months"),
        "op_open": _("New facility"),
        "op_add_mobile_route": _("Van stops"),
        "op_add_digital_channel": _("Digital channel"),
        "op_merge": _("Merged"),
        "op_co_locate": _("Co-located"),
        "op_relocate": _("Relocated"),
        "op_school_transport": _("School transport distance"),
        "holds": _("holds"),
        "fails": _("fails"),
        "not assessed": _("not assessed"),
        "early_childhood_education": _("Early childhood education"),
        "basic_education": _("Basic education"),
        "primary_health_care": _("Primary health care"),
        "elderly_care": _("Elderly care"),
        "library": _("Library"),
        "one_stop_service": _("One-stop service point"),
    }


@lru_cache(maxsize=8)
def texts(lang: str) -> Mapping[str, str]:
    """Return the dashboard's texts in ``lang`` (``fi``, ``sv`` or ``en``).

    Raises
    ------
    ValueError
        On an unknown language, naming the allowed values.
    """
    return MappingProxyType(messages(translator(check_language(lang), "dashboard").gettext))


def service_name(service: str, lang: str, fallback: str = "") -> str:
    """Return a service's name in ``lang``: the catalogue's, else ``fallback``."""
    return texts(lang).get(service) or fallback or service
