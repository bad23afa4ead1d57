"""The workshop dashboard without a browser: edits, the network rule, the session, the page.

The page is rendered with ``solara.render`` (no server, no browser) and driven by
clicking its buttons; the browser test is tests/test_dashboard_e2e.py.
"""

import re
import shlex
import subprocess

import numpy as np
import pytest
import xarray as xr

from experiments.dashboard import cli, edits
from experiments.dashboard.checks import service_gaps
from experiments.dashboard.plan import Plan, command, run_spec, save_plan, scenario_mapping
from experiments.dashboard.session import first_month, plan_world, problems, start, update
from experiments.dashboard.texts import LANGUAGES, messages, texts
from scenarios.changes.operations import Close, Merge, Open, Resize
from scenarios.worlds.loader import embedded_world_path, load_world
from tests.sweeps import command as cli_command
from tests.sweeps import load

MONTH = "2024-01"
SHORT = Plan(horizon_years=2)


@pytest.fixture(scope="module")
def sysma():
    return load_world(embedded_world_path("sysma"))


@pytest.fixture(scope="module")
def session():
    return start(SHORT, "en")


def test_edits_make_scenario_changes_and_leave_the_plan_alone():
    plan = Plan()
    closed = edits.close(plan, "sysma_library", MONTH)
    assert plan.edits == () and closed.edits == (
        {"op": "close", "facility": "sysma_library", "decided": MONTH},
    )
    assert edits.reopen(closed, "sysma_library").edits == ()
    twice = edits.resize(edits.resize(plan, "sysma_library", "library", 10, MONTH),
                         "sysma_library", "library", 20, MONTH)  # fmt: skip
    assert [e["capacity"] for e in twice.edits] == [20.0]  # the second replaces the first
    van = edits.add_van_stop(plan, "19310", ["library"], MONTH)
    van = edits.add_van_stop(van, "19230", ["primary_health_care"], MONTH)
    van = edits.add_van_stop(van, "19310", ["library"], MONTH)
    (route,) = van.edits
    assert route["zones"] == ["19310", "19230"]
    assert route["services"] == ["library", "primary_health_care"]
    digital = edits.add_digital_channel(plan, "library", 0.3, MONTH)
    digital = edits.add_digital_channel(digital, "library", 0.6, MONTH)
    assert [e["adoption"] for e in digital.edits] == [0.6]
    months = edits.set_open_months(plan, "sysma_library", [9, 1, 1], MONTH)
    assert months.edits[0]["months"] == [1, 9]
    both = edits.close(edits.open_facility(plan, "19310", "library", 50, MONTH), "x", MONTH)
    assert [e["op"] for e in edits.remove_edit(both, 0).edits] == ["close"]


def test_shipped_scenario_changes_come_first():
    plan = edits.close(Plan(scenario="close_village_school"), "sysma_library", MONTH)
    changes = scenario_mapping(plan)["changes"]
    assert [c["op"] for c in changes] == ["merge", "close"]


def test_service_gaps_follow_the_changes_in_effect_order(sysma):
    school = ("sysma_school_centre", "sysma_school_nuoramoinen")
    assert service_gaps(sysma, [Close(facility=school[1], decided=MONTH)]) == []
    merged = [Merge(facility=school[1], into=school[0], decided=MONTH)]
    assert service_gaps(sysma, merged) == []
    both = [Close(facility=f, decided=m) for f, m in zip(school, ("2026-01", MONTH), strict=True)]
    (gap,) = service_gaps(sysma, both)
    assert (gap.service, gap.month, gap.change.facility) == (
        "basic_education",
        "2026-01",
        school[0],
    )
    no_health = [Resize(facility="sysma_health_station", service="primary_health_care",
                        capacity=0, decided=MONTH)]  # fmt: skip
    assert [g.service for g in service_gaps(sysma, no_health)] == ["primary_health_care"]
    replaced = [
        Open(id="new", zone="19310", capacity={"primary_health_care": 10.0}, decided=MONTH),
        Close(facility="sysma_health_station", decided="2025-01"),
    ]
    assert service_gaps(sysma, replaced) == []


def test_a_refused_edit_keeps_the_last_valid_plan_and_says_why(session):
    plan = session.current.plan
    month = first_month(plan)
    only_school = edits.close(edits.close(plan, "sysma_school_centre", month),
                              "sysma_school_nuoramoinen", month)  # fmt: skip
    refused = update(session, only_school)
    assert refused.current is session.current and refused.previous is session.previous
    assert "Basic education" in refused.message and "last valid plan" in refused.message
    bad = plan.replace(edits=({"op": "resize", "facility": "nowhere", "service": "library",
                               "capacity": -1, "decided": month},))  # fmt: skip
    refused = update(session, bad)
    assert refused.current is session.current
    assert "nowhere" in refused.message and "-1" in refused.message
    spec, reason = problems(only_school, "fi")
    assert spec is None and "Perusopetus" in reason  # the message in the page's language


def test_an_edit_runs_and_keeps_the_previous_plan_beside(session):
    plan = session.current.plan
    closed = update(session, edits.close(plan, "sysma_school_nuoramoinen", first_month(plan)))
    assert closed.message == "" and closed.previous is session.current
    before, after = session.current.figures, closed.current.figures
    assert after.npv_eur < before.npv_eur  # one school building less
    assert after.access_share < before.access_share  # Nuoramoinen pupils travel farther
    assert closed.current.seconds > 0


def test_sliders_change_the_run_through_config_overrides(session):
    plan = session.current.plan
    spec = run_spec(plan.replace(seasonal_use=2.0, unit_costs=(("library", 42.0),)))
    assert spec.costs.capacity_unit_cost_eur_per_year["library"] == 42.0
    seasonal = [s for s in spec.simulation.segments if s.kind == "seasonal"]
    assert seasonal and all(s.demand_multiplier == 2.0 for s in seasonal)
    busy = update(session, plan.replace(seasonal_use=2.0))
    assert busy.current.results["demand_kind"].sel(kind="seasonal").sum() > (
        session.current.results["demand_kind"].sel(kind="seasonal").sum()
    )


@pytest.mark.slow
def test_saved_plan_runs_unchanged_with_the_command_line(session, tmp_path):
    plan = session.current.plan
    month = first_month(plan)
    plan = edits.add_van_stop(edits.close(plan, "sysma_school_nuoramoinen", month), "19310",
                              ["library"], month)  # fmt: skip
    plan = plan.replace(name="my_plan", unit_costs=(("library", 30.0),), seasonal_use=1.5)
    edited = update(session, plan)
    assert edited.message == ""
    conf = tmp_path / "conf"
    path = save_plan(plan, conf)
    assert path == conf / "scenario" / "my_plan.yaml"
    text = path.read_text()
    shown = next(line for line in text.splitlines() if line.startswith("#   servicesim "))
    argv = shlex.split(shown.lstrip("# "))
    assert argv == command(plan, conf)
    run_dir = tmp_path / "run"
    proc = subprocess.run(
        [*cli_command(), *argv[1:], f"hydra.run.dir={run_dir}", "simulation.progress=false"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    ran = load(run_dir / "results.nc")
    ours = edited.current.results
    for name in ("total_cost", "served", "unmet", "share_within_20min", "npv_cost"):
        xr.testing.assert_identical(ran[name].drop_attrs(), ours[name].drop_attrs())


def test_save_refuses_a_name_that_is_not_a_file_name(tmp_path):
    with pytest.raises(ValueError, match="letters, digits"):
        save_plan(Plan(name="../x"), tmp_path)
    assert not any(tmp_path.rglob("*.yaml"))


def test_every_text_is_translated_in_finnish_and_swedish():
    english = messages(lambda s: s)
    for lang in ("fi", "sv"):
        translated = texts(lang)
        assert set(translated) == set(english)
        same = [k for k in english if translated[k] == english[k]]
        assert same == [], f"{lang}: untranslated {same}"
        for key, text in english.items():  # the same {} fields in every language
            assert translated[key].count("{") == text.count("{"), (lang, key)
    assert LANGUAGES == ("fi", "sv", "en")
    with pytest.raises(ValueError, match="allowed values"):
        texts("de")


def test_command_options(tmp_path, capsys):
    assert cli.main(["--lang", "de"]) == 2
    assert "--language='de'" in capsys.readouterr().err
    assert cli.main(["--language", "xx"]) == 2
    assert "allowed values" in capsys.readouterr().err
    assert cli.main(["--world", str(tmp_path)]) == 2
    assert str(tmp_path) in capsys.readouterr().err
    cmd = cli.server_command(0, "127.0.0.1", open_browser=False)
    assert cmd[1:5] == ["-m", "solara", "run", cli.APP] and "--no-open" in cmd
    env = cli.server_env(tmp_path, "fi", tmp_path / "conf")
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False"
    assert env[cli.ENV_WORLD] == str(tmp_path.resolve())


def test_page_renders_and_a_click_closes_a_facility(monkeypatch, tmp_path):
    solara = pytest.importorskip("solara")
    import ipyvuetify as v

    from experiments.dashboard.page import Page

    monkeypatch.setenv(cli.ENV_LANG, "en")
    monkeypatch.setenv(cli.ENV_SAVE, str(tmp_path))
    box, rc = solara.render(Page(), handle_error=False)

    def cells():
        tables = [w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets]
        return next(t for t in tables if "dash-key-figures" in t)

    assert 'data-plan="previous"' not in cells()
    names = [f.id for f in plan_world(Plan()).facilities]
    closes = rc.find(v.Btn, children=["Close"]).widgets
    assert len(closes) == len(names)
    closes[names.index("sysma_school_nuoramoinen")].click()
    table = cells()
    assert 'data-plan="previous"' in table
    assert rc.find(v.Btn, children=["Reopen"]).widgets  # the closed school can be reopened
    for metric in ("access", "npv"):
        values = re.findall(rf'data-metric="{metric}" data-plan="\w+">([^<]+)<', table)
        assert len(values) == 2 and values[0] != values[1], (metric, values)
    rc.find(v.Btn, children=["Save the plan"]).widget.click()
    shown = rc.find(v.Html, tag="pre").widget.children[0]
    saved = tmp_path / "scenario" / "workshop_plan.yaml"
    assert str(saved) in shown and "sysma_school_nuoramoinen" in saved.read_text()
    box.close()


def test_side_bar_choices_run_a_new_plan_or_switch_language(session):
    solara = pytest.importorskip("solara")
    import ipyvuetify as v

    from experiments.dashboard.page import Choices

    seen = []
    box, rc = solara.render(Choices(session, seen.append), handle_error=False)
    rc.find(v.Select, label="Years simulated").widget.v_model = 5
    assert seen[-1].current.plan.horizon_years == 5 and seen[-1].previous is session.current
    assert seen[-1].current.results.sizes["year"] == 5
    rc.find(v.Select, label="Language").widget.v_model = "sv"
    assert seen[-1].lang == "sv" and seen[-1].current is session.current  # no new run
    rc.find(v.Select, label="Planning strategy").widget.v_model = "Reactive"
    assert seen[-1].current.plan.strategy == "reactive"
    box.close()


def test_a_world_folder_is_run_by_path(monkeypatch):
    from experiments.dashboard.page import initial_plan

    folder = embedded_world_path("sysma")
    monkeypatch.setenv(cli.ENV_WORLD, str(folder))
    plan = initial_plan()
    assert plan.world_path == str(folder.resolve())
    assert run_spec(plan).world.path == folder.resolve()
    assert f"world.path={folder.resolve()}" in command(plan, folder)


def test_map_shows_access_by_zone_when_the_results_have_it(session):
    from experiments.dashboard.figures import ACCESS, UNMET, map_figure, zone_measure, zone_values

    ds = session.current.results
    assert zone_measure(ds) in (ACCESS, UNMET)
    plain = ds.drop_vars(["share_within_20min_zone", "eligible_present_zone"], errors="ignore")
    assert zone_measure(plain) == UNMET
    dims = ("time", "zone", "service")
    shape = tuple(ds.sizes[d] for d in dims)
    share = np.full(shape, 0.5)
    share[:, 0, :] = 1.0
    share[:, 1, 0] = np.nan  # no eligible person: left out of the mean
    eligible = np.ones(shape)
    eligible[:, 2, 1:] = 0.0
    share[:, 2, 0] = 0.0
    with_access = plain.assign(
        share_within_20min_zone=(dims, share), eligible_present_zone=(dims, eligible)
    )
    assert zone_measure(with_access) == ACCESS
    values = zone_values(with_access, ACCESS)
    zones = [str(z) for z in ds["zone"].values]
    assert values[zones[0]] == 100.0 and values[zones[1]] == 50.0 and values[zones[2]] == 0.0
    fig = map_figure(
        plan_world(Plan()),
        with_access,
        plain.assign(
            share_within_20min_zone=(dims, share * 0), eligible_present_zone=(dims, eligible)
        ),
        "sv",
    )
    assert fig.axes  # both maps and the colour bar drawn
