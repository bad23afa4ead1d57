"""The workshop dashboard, ``servicesim-dashboard``: a Solara page to edit a plan and see it run.

A facilitator chooses a world, a scenario and a strategy, edits the service network by
clicking (close or reopen a facility, change a capacity or the opening months, add a
van stop, add a digital channel), moves the assumption sliders (seasonal use, unit
costs), and sees the run's results next to the previous plan's. The plan saves as a
scenario YAML file that the ``servicesim`` command runs unchanged.

Modules, each with one job:

- :mod:`~experiments.dashboard.plan`: the plan (a frozen dataclass), its RunSpec, its
  scenario file and the command line that runs it;
- :mod:`~experiments.dashboard.edits`: the edits a click makes, as scenario changes;
- :mod:`~experiments.dashboard.checks`: the network rule an edit must keep (every
  service keeps a facility);
- :mod:`~experiments.dashboard.session`: current and previous outcome, running a plan,
  keeping the last valid plan when an edit is refused;
- :mod:`~experiments.dashboard.metrics`: the key figures of a run;
- :mod:`~experiments.dashboard.figures`: the matplotlib figures (map, forecast, ...);
- :mod:`~experiments.dashboard.texts`: the page's strings and their translations;
- :mod:`~experiments.dashboard.page`, :mod:`~experiments.dashboard.app`: the Solara page;
- :mod:`~experiments.dashboard.cli`: the ``servicesim-dashboard`` command.
"""
