"""The dashboard's edit panels: facilities, new facility, van stops, digital channels, sliders.

Each panel is a Solara component that calls ``on_plan(new_plan)`` with an edited
:class:`~experiments.dashboard.plan.Plan`; the page runs it (and keeps the last valid
plan when it is refused). The edits themselves are :mod:`~experiments.dashboard.edits`.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping

import solara

from experiments.dashboard import edits
from experiments.dashboard.plan import Plan
from experiments.dashboard.texts import format_meur, service_name, texts
from simulation.world import FacilitySpec, World

__all__ = ["AssumptionPanel", "ChannelPanel", "EditList", "FacilityPanel", "NewFacilityPanel"]

OnPlan = Callable[[Plan], None]
MONTHS = list(range(1, 13))


@solara.component
def FacilityRow(
    fac: FacilitySpec, zone: str, plan: Plan, on_plan: OnPlan, month: str, lang: str
) -> None:
    """One facility: close or reopen it; its capacity per service; its opening months."""
    tx = texts(lang)
    closed = fac.id in edits.closed_by_edits(plan)
    services = [s for s, c in fac.capacity.items() if c > 0]
    service, set_service = solara.use_state(services[0] if services else None)
    capacity, set_capacity = solara.use_state(float(fac.capacity.get(service, 0.0)))
    months, set_months = solara.use_state([m for m in MONTHS if fac.open_months[m - 1]])
    with solara.Column(classes=["dash-facility", f"dash-facility-{fac.id}"]):
        with solara.Row(style={"align-items": "center"}):
            state = tx["closed"] if closed else tx["in_network"]
            # plain HTML, not Markdown: Markdown loads KaTeX, which solara-assets lacks offline
            solara.HTML(
                tag="span",
                unsafe_innerHTML=f"<b>{html.escape(fac.name)}</b> ({html.escape(zone)}): {state}",
            )
            if closed:
                solara.Button(tx["reopen"], on_click=lambda: on_plan(edits.reopen(plan, fac.id)))
            else:
                solara.Button(
                    tx["close"],
                    color="error",
                    classes=["dash-close"],
                    on_click=lambda: on_plan(edits.close(plan, fac.id, month)),
                )
        with solara.Details(summary=f"{tx['capacity']}, {tx['open_months'].lower()}"):
            with solara.Row():
                if len(services) > 1:
                    solara.Select(
                        tx["service"], values=services, value=service, on_value=set_service
                    )
                solara.InputFloat(tx["capacity"], value=capacity, on_value=set_capacity)
                solara.Button(
                    tx["set"],
                    on_click=lambda: on_plan(edits.resize(plan, fac.id, service, capacity, month)),
                )
            with solara.Row():
                solara.SelectMultiple(
                    tx["open_months"], values=months, all_values=MONTHS, on_value=set_months
                )
                solara.Button(
                    tx["set"],
                    on_click=lambda: on_plan(edits.set_open_months(plan, fac.id, months, month)),
                )


@solara.component
def FacilityPanel(world: World, plan: Plan, on_plan: OnPlan, month: str, lang: str) -> None:
    """Every facility of the world, one row each."""
    with solara.Card(texts(lang)["network"]):
        for fac in world.facilities:
            FacilityRow(fac, world.zones.names[fac.zone], plan, on_plan, month, lang)


def _zone_labels(world: World) -> dict[str, str]:
    return {
        f"{name} ({zid})": zid for zid, name in zip(world.zones.ids, world.zones.names, strict=True)
    }


@solara.component
def NewFacilityPanel(world: World, plan: Plan, on_plan: OnPlan, month: str, lang: str) -> None:
    """Open a new facility: zone, service and capacity."""
    tx = texts(lang)
    zones = _zone_labels(world)
    zone, set_zone = solara.use_state(next(iter(zones)))
    service, set_service = solara.use_state(world.service_ids[0])
    capacity, set_capacity = solara.use_state(100.0)
    names = {service_name(s, lang): s for s in world.service_ids}
    with solara.Card(tx["new_facility"]):
        solara.Select(tx["zone"], values=list(zones), value=zone, on_value=set_zone)
        solara.Select(
            tx["service"],
            values=list(names),
            value=service_name(service, lang),
            on_value=lambda label: set_service(names[label]),
        )
        solara.InputFloat(tx["capacity"], value=capacity, on_value=set_capacity)
        solara.Button(
            tx["open"],
            on_click=lambda: on_plan(
                edits.open_facility(plan, zones[zone], service, capacity, month)
            ),
        )


@solara.component
def ChannelPanel(world: World, plan: Plan, on_plan: OnPlan, month: str, lang: str) -> None:
    """Add a van stop in a zone, or a digital channel for a service."""
    tx = texts(lang)
    zones = _zone_labels(world)
    names = {service_name(s, lang): s for s in world.service_ids}
    zone, set_zone = solara.use_state(next(iter(zones)))
    van_services, set_van_services = solara.use_state([next(iter(names))])
    digital, set_digital = solara.use_state(next(iter(names)))
    adoption, set_adoption = solara.use_state(0.5)
    van = edits.VAN
    with solara.Card(tx["van"]):
        solara.Select(tx["zone"], values=list(zones), value=zone, on_value=set_zone)
        solara.SelectMultiple(
            tx["van_services"],
            values=van_services,
            all_values=list(names),
            on_value=set_van_services,
        )
        solara.Text(
            tx["van_note"].format(
                van["capacity_per_month"],
                van["days_per_month"],
                format_meur(van["cost_eur_per_year"], lang, 2),
            )
        )
        solara.Button(
            tx["add_stop"],
            on_click=lambda: on_plan(
                edits.add_van_stop(plan, zones[zone], [names[s] for s in van_services], month)
            ),
        )
    with solara.Card(tx["digital"]):
        solara.Select(tx["service"], values=list(names), value=digital, on_value=set_digital)
        solara.SliderFloat(
            tx["adoption"].format(f"{adoption:.0%}"),
            value=adoption,
            min=0.0,
            max=1.0,
            step=0.05,
            on_value=set_adoption,
        )
        solara.Button(
            tx["add_channel"],
            on_click=lambda: on_plan(
                edits.add_digital_channel(plan, names[digital], adoption, month)
            ),
        )


@solara.component
def AssumptionPanel(
    plan: Plan, defaults: Mapping[str, float], seasonal: float, on_plan: OnPlan, lang: str
) -> None:
    """Sliders for the seasonal residents' use and the unit costs, applied by one button."""
    tx = texts(lang)
    use, set_use = solara.use_state(
        plan.seasonal_use if plan.seasonal_use is not None else seasonal
    )
    chosen = dict(plan.unit_costs)
    costs, set_costs = solara.use_state({s: chosen.get(s, c) for s, c in defaults.items()})
    with solara.Card(tx["assumptions"]):
        solara.Text(tx["seasonal_use"].format(f"{use:.1f}"))
        solara.SliderFloat(
            "",
            value=use,
            min=0.0,
            max=3.0,
            step=0.1,
            on_value=set_use,
        )
        for service, default in defaults.items():
            solara.Text(tx["unit_cost"].format(service_name(service, lang)))
            solara.SliderFloat(
                "",
                value=costs[service],
                min=0.0,
                max=round(3 * default, 1),
                step=max(round(default / 20, 1), 0.1),
                on_value=lambda v, s=service: set_costs({**costs, s: float(v)}),
            )
        changed = tuple((s, c) for s, c in costs.items() if c != defaults[s])
        solara.Button(
            tx["set"],
            on_click=lambda: on_plan(plan.replace(seasonal_use=float(use), unit_costs=changed)),
        )


def describe(edit: Mapping, world: World, lang: str) -> str:
    """Describe an edit in one line, for the list of the plan's changes."""
    tx = texts(lang)
    names = {f.id: f.name for f in world.facilities}
    zones = dict(zip(world.zones.ids, world.zones.names, strict=True))
    what = edit.get("facility") or edit.get("id") or edit.get("service", "")
    parts = [names.get(what, service_name(what, lang))]
    if edit["op"] == "resize":
        parts.append(f"{service_name(edit['service'], lang)} {edit['capacity']:g}")
    elif edit["op"] == "open":
        parts = [zones.get(edit["zone"], edit["zone"])]
        parts += [f"{service_name(s, lang)} {c:g}" for s, c in edit["capacity"].items()]
    elif edit["op"] == "open_seasonally":
        parts.append(", ".join(str(m) for m in edit["months"]))
    elif edit["op"] == "add_mobile_route":
        parts = [", ".join(zones.get(z, z) for z in edit["zones"])]
        parts.append(", ".join(service_name(s, lang) for s in edit["services"]))
    elif edit["op"] == "add_digital_channel":
        parts.append(f"{edit['adoption']:.0%}")
    op = tx.get(f"op_{edit['op']}", edit["op"])
    return f"{op}: {'; '.join(parts)} ({tx['from_month'].format(edit['decided'])})"


@solara.component
def EditList(world: World, plan: Plan, on_plan: OnPlan, lang: str) -> None:
    """List the dashboard's edits of the plan, each with a button to remove it."""
    tx = texts(lang)
    with solara.Card(tx["edits"]):
        if not plan.edits:
            solara.Text(tx["no_edits"])
        for i, edit in enumerate(plan.edits):
            with solara.Row(style={"align-items": "center"}):
                solara.Text(describe(edit, world, lang))
                solara.Button(
                    tx["remove"],
                    text=True,
                    on_click=lambda i=i: on_plan(edits.remove_edit(plan, i)),
                )
