"""The ``servicesim-dashboard`` command: serve the workshop dashboard on this computer.

``servicesim-dashboard [--world PATH] [--lang fi|sv|en] [--port N] [--host H]
[--save-dir DIR] [--no-open]`` (or ``python -m experiments.dashboard``) starts a
Solara server (``solara run experiments.dashboard.app``) that works offline: the page's
JavaScript and CSS come from the installed ``solara-assets`` package, never from a CDN,
and Solara's usage telemetry is turned off. Stop it with Ctrl+C.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

__all__ = ["ENV_LANG", "ENV_SAVE", "ENV_WORLD", "main", "server_command", "server_env"]

APP = "experiments.dashboard.app"
#: Environment of the server: ``--world``, ``--lang`` and ``--save-dir`` for the page.
ENV_WORLD, ENV_LANG, ENV_SAVE = (
    "SERVICESIM_DASHBOARD_WORLD",
    "SERVICESIM_DASHBOARD_LANG",
    "SERVICESIM_DASHBOARD_SAVE_DIR",
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="servicesim-dashboard", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--world", type=Path, help="a world folder (default: the embedded worlds)")
    parser.add_argument(
        "--language",
        "--lang",
        dest="lang",
        default="fi",
        help="page language: fi, sv or en (default fi); as servicesim-report --language",
    )
    parser.add_argument("--port", type=int, default=8765, help="port (0: any free port)")
    parser.add_argument("--host", default="localhost", help="address to listen on")
    parser.add_argument(
        "--save-dir",
        type=Path,
        default=Path("workshop_conf"),
        help="config folder the plans are saved to (as scenario/NAME.yaml)",
    )
    parser.add_argument("--no-open", action="store_true", help="do not open a browser")
    return parser


def server_env(world: Path | None, lang: str, save_dir: Path) -> dict[str, str]:
    """Return the environment of the server: offline, no telemetry, the dashboard's settings.

    Examples
    --------
    >>> env = server_env(None, "sv", Path("conf"))
    >>> env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"], env["SERVICESIM_DASHBOARD_LANG"]
    ('False', 'sv')
    """
    env = dict(os.environ)
    env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "False"
    env[ENV_LANG] = lang
    env[ENV_SAVE] = str(save_dir.resolve())
    if world is not None:
        env[ENV_WORLD] = str(world.resolve())
    else:
        env.pop(ENV_WORLD, None)
    return env


def server_command(port: int, host: str, open_browser: bool) -> list[str]:
    """Return the ``solara run`` command line of the dashboard."""
    return [
        sys.executable,
        "-m",
        "solara",
        "run",
        APP,
        f"--port={port}",
        f"--host={host}",
        "--production",
        "--open" if open_browser else "--no-open",
    ]


def main(argv: list[str] | None = None) -> int:
    """Check the options and run the server until it stops; 2 on a bad option."""
    args = _parser().parse_args(argv)
    from experiments.dashboard.texts import LANGUAGES

    if args.lang not in LANGUAGES:
        print(
            f"servicesim-dashboard: error: --language={args.lang!r}: allowed values are "
            f"{', '.join(LANGUAGES)}",
            file=sys.stderr,
        )
        return 2
    if args.world is not None:
        from scenarios.errors import WorldFileError
        from scenarios.worlds.loader import load_world

        try:
            load_world(args.world)
        except (WorldFileError, OSError) as exc:
            print(f"servicesim-dashboard: error: --world={args.world}: {exc}", file=sys.stderr)
            return 2
    env = server_env(args.world, args.lang, args.save_dir)
    cmd = server_command(args.port, args.host, not args.no_open)
    # exec, not a child process: stopping this command (Ctrl+C, a signal) stops the server
    os.execve(cmd[0], cmd, env)
    return 0  # pragma: no cover - execve does not return
