"""A run folder that is safe to rerun: one config, one writer, no unreadable results.

Before a run simulates, :func:`claim` locks its folder (:mod:`experiments.locks`) and
compares the run's config with the one recorded there:

- no results yet: the run goes ahead; :meth:`RunFolder.commit` writes the results
  atomically, then records the config and its hash in ``.servicesim/run.json``;
- results of the same config: the run is skipped (:attr:`RunFolder.existing` holds
  them);
- results of another config: :class:`~experiments.locks.RunFolderError` names the
  folder and the options that differ, and nothing is written;
- a results file that cannot be opened (truncated, not NetCDF) is moved aside as
  ``<name>.corrupt-<timestamp>``, with a message, and the run is computed again.

Hydra writes ``.hydra/config.yaml`` before the run starts; the record keeps the
``.hydra`` files of the run whose results are in the folder and puts them back when a
run is refused or skipped, so the folder always describes the results it holds.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xarray as xr
import yaml

from experiments.locks import FolderLock, RunFolderError
from experiments.output import write_atomic, write_bytes_atomic

__all__ = [
    "RECORD",
    "RunFolder",
    "RunFolderError",
    "UnreadableFileError",
    "claim",
    "config_hash",
    "hydra_files",
    "moved_aside",
    "read_netcdf",
    "run_in_folder",
]

log = logging.getLogger("servicesim.folders")

#: Reads results (written by h5netcdf): 7x faster than h5netcdf (docs/explanation/speed.md).
READ_ENGINE = "netcdf4"

RECORD = Path(".servicesim") / "run.json"
# Options that change where or how a run reports, never its results.
IGNORED = ("results_file", "progress", "simulation.progress", "sweep", "report", "hydra")


class UnreadableFileError(OSError):
    """A NetCDF file exists but cannot be opened or read."""


def _without(config: Mapping[str, Any], ignore: tuple[str, ...]) -> dict[str, Any]:
    out = {}
    for key, value in config.items():
        if key in ignore or (key == "oracle" and config.get("regret") is False):  # grid unused
            continue
        nested = tuple(i.split(".", 1)[1] for i in ignore if i.startswith(f"{key}."))
        out[key] = _without(value, nested) if isinstance(value, Mapping) else value
    return out


def config_hash(config: Mapping[str, Any], ignore: tuple[str, ...] = IGNORED) -> str:
    """SHA-256 of a run's resolved config, less the options in ``ignore``.

    Keys are sorted, so the order the options were given in does not matter.

    Examples
    --------
    >>> a = config_hash({"seed": 0, "simulation": {"progress": True, "months": 12}})
    >>> a == config_hash({"simulation": {"months": 12, "progress": False}, "seed": 0})
    True
    >>> a == config_hash({"seed": 1, "simulation": {"progress": True, "months": 12}})
    False
    """
    canonical = json.dumps(_without(config, ignore), sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def config_diff(old: Mapping[str, Any], new: Mapping[str, Any], prefix: str = "") -> list[str]:
    """``option: old -> new`` for every option that differs (dotted names).

    Examples
    --------
    >>> config_diff({"seed": 0, "f": {"n": 3}}, {"seed": 1, "f": {"n": 3, "m": 2}})
    ['f.m: (absent) -> 2', 'seed: 0 -> 1']
    """
    out = []
    for key in sorted(set(old) | set(new), key=str):
        a, b = old.get(key, "(absent)"), new.get(key, "(absent)")
        if isinstance(a, Mapping) and isinstance(b, Mapping):
            out += config_diff(a, b, f"{prefix}{key}.")
        elif a != b:
            out.append(f"{prefix}{key}: {a} -> {b}")
    return out


def read_netcdf(path: Path) -> xr.Dataset:
    """Open and load a NetCDF file (:data:`READ_ENGINE`), or raise :class:`UnreadableFileError`."""
    try:
        with xr.open_dataset(path, engine=READ_ENGINE) as ds:
            return ds.load()
    except FileNotFoundError:
        raise
    except Exception as exc:  # noqa: BLE001 - h5py/h5netcdf raise many types for bad files
        raise UnreadableFileError(f"{path} cannot be read ({type(exc).__name__}: {exc})") from exc


def moved_aside(path: Path, reason: str) -> Path | None:
    """Rename an unreadable ``path`` to ``<name>.corrupt-<UTC time>``; say so on the log.

    Returns
    -------
    Path or None
        The new name, or None if the file had gone already (another process moved it).
    """
    path = Path(path)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    try:
        path.rename(target)
    except FileNotFoundError:
        return None
    log.warning("%s; moved aside to %s, it will be computed again", reason, target.name)
    return target


def load_or_move_aside(path: Path) -> xr.Dataset | None:
    """Return the dataset in ``path``; None if missing or unreadable (then moved aside)."""
    try:
        return read_netcdf(path)
    except FileNotFoundError:
        return None
    except UnreadableFileError as exc:
        moved_aside(path, str(exc))
        return None


def hydra_files(task_cfg: Any) -> dict[str, str]:
    """Texts of the files Hydra wrote into the running job's folder (``.hydra/*.yaml``).

    The same texts Hydra writes (``OmegaConf.to_yaml`` of the task config, the Hydra
    config and the overrides), rebuilt from this process's configs so that the run
    that commits its results rewrites them even if a concurrent run overwrote them.
    Empty outside a Hydra job or with ``hydra.output_subdir=null``.
    """
    from hydra.core.hydra_config import HydraConfig
    from omegaconf import OmegaConf

    if not HydraConfig.initialized():
        return {}
    hydra_cfg = HydraConfig.instance().cfg
    subdir = hydra_cfg.hydra.output_subdir
    if subdir is None:
        return {}
    return {
        f"{subdir}/config.yaml": OmegaConf.to_yaml(task_cfg),
        f"{subdir}/hydra.yaml": OmegaConf.to_yaml(hydra_cfg),
        f"{subdir}/overrides.yaml": OmegaConf.to_yaml(hydra_cfg.hydra.overrides.task),
    }


def _read_record(run_dir: Path) -> dict:
    try:
        record = json.loads((run_dir / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def _stored_config(record: dict, existing: xr.Dataset | None) -> tuple[str, dict] | None:
    """Hash and config of the results in the folder, from the record or the file itself."""
    if "config_sha256" in record:
        return str(record["config_sha256"]), dict(record.get("config") or {})
    if existing is None:
        return None
    try:
        stored = yaml.safe_load(str(existing.attrs.get("config", ""))) or {}
    except yaml.YAMLError:
        stored = {}
    if not isinstance(stored, dict) or not stored:
        return None  # results of unknown config (an old release): skip as before
    return config_hash(stored), _without(stored, IGNORED)


@dataclass
class RunFolder:
    """A locked run folder whose recorded config agrees with this run's.

    Attributes
    ----------
    path : Path
        The folder.
    results_file : str
        Name of the results file inside it.
    config : dict
        This run's resolved config (as given to :func:`claim`).
    hydra_files : dict
        Relative path -> text of the files Hydra wrote for this run (``.hydra/*``).
    existing : xarray.Dataset or None
        The results already there (same config): the run can be skipped.
    """

    path: Path
    results_file: str
    config: dict
    hydra_files: dict[str, str] = field(default_factory=dict)
    existing: xr.Dataset | None = None

    @property
    def target(self) -> Path:
        """Path of the results file."""
        return self.path / self.results_file

    @property
    def config_sha256(self) -> str:
        """Hash of :attr:`config` (:func:`config_hash`)."""
        return config_hash(self.config)

    def check(self) -> None:
        """Load existing results and refuse them if their config differs.

        Raises
        ------
        RunFolderError
            If the folder holds results of another config.
        """
        record = _read_record(self.path)
        self.existing = load_or_move_aside(self.target)
        stored = _stored_config(record, self.existing)
        held = [n for n in record.get("results", []) if (self.path / n).exists()]
        if self.existing is not None and self.results_file not in held:
            held.append(self.results_file)
        if held and stored is not None and stored[0] != self.config_sha256:
            self.restore_hydra_files(record)
            differ = config_diff(stored[1], _without(self.config, IGNORED)) or ["(unknown)"]
            raise RunFolderError(
                f"{self.path} already holds results of another config "
                f"({', '.join(held)}); options that differ (stored -> this run): "
                f"{'; '.join(differ[:8])}{' ...' if len(differ) > 8 else ''}. Nothing was "
                "written: choose another folder (hydra.run.dir / hydra.sweep.dir) or "
                "delete the results there"
            )
        if self.existing is not None:
            self.restore_hydra_files(record)

    def restore_hydra_files(self, record: dict | None = None) -> None:
        """Put back the ``.hydra`` files of the run whose results the folder holds."""
        record = _read_record(self.path) if record is None else record
        for name, text in (record.get("hydra_files") or {}).items():
            target = self.path / name
            if self.path.resolve() in target.resolve().parents:
                write_bytes_atomic(str(text), target)

    def commit(self, ds: xr.Dataset) -> Path:
        """Write ``ds`` atomically as the results file, then record config and hash.

        Returns
        -------
        Path
            The results file.
        """
        write_atomic(ds, self.target)  # unchanged: a file equals the Python API's result
        for name, text in self.hydra_files.items():
            write_bytes_atomic(text, self.path / name)
        record = _read_record(self.path)
        results = sorted({*record.get("results", []), self.results_file})
        if record.get("config_sha256") not in (None, self.config_sha256):
            results = [self.results_file]  # the earlier results of another config are gone
        record = {
            "config_sha256": self.config_sha256,
            "config": _without(self.config, IGNORED),
            "results": results,
            "hydra_files": self.hydra_files,
        }
        write_bytes_atomic(json.dumps(record, indent=1, default=str), self.path / RECORD)
        return self.target


@contextmanager
def claim(
    run_dir: Path,
    results_file: str,
    config: Mapping[str, Any],
    hydra_files: Mapping[str, str] | None = None,
) -> Iterator[RunFolder]:
    """Lock ``run_dir`` and check it against ``config`` for the duration of a run.

    Parameters
    ----------
    run_dir : Path
        The run's folder (created if missing).
    results_file : str
        File name of the results inside it.
    config : mapping
        The run's resolved config; :data:`IGNORED` options do not count.
    hydra_files : mapping, optional
        Relative path -> text of the files Hydra wrote for this run (see
        :func:`hydra_files`), rewritten on commit and restored
        when a later run is refused or skipped.

    Yields
    ------
    RunFolder
        ``existing`` set when the run can be skipped; call ``commit(ds)`` otherwise.

    Raises
    ------
    RunFolderError
        If the folder cannot be created, is locked by another process, or holds
        results of another config.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with claim(folder, "results.nc", {"seed": 0}) as run:
    ...     _ = run.commit(xr.Dataset({"x": 1.0}))
    >>> with claim(folder, "results.nc", {"seed": 0}) as run:
    ...     float(run.existing["x"])
    1.0
    >>> with claim(folder, "results.nc", {"seed": 1}) as run:  # doctest: +ELLIPSIS
    ...     pass
    Traceback (most recent call last):
    ...
    experiments.locks.RunFolderError: ... options that differ (stored -> this run): seed: 0 -> 1...
    """
    folder = RunFolder(Path(run_dir), results_file, dict(config), dict(hydra_files or {}))
    try:
        lock = FolderLock(run_dir, "run").__enter__()
    except RunFolderError:
        # Hydra wrote this run's .hydra files before the lock was tried: if the holder
        # has already committed, put its files back (otherwise it rewrites them itself).
        if hydra_files and (Path(run_dir) / RECORD).exists():
            folder.restore_hydra_files()
        raise
    try:
        folder.check()
        yield folder
    finally:
        lock.__exit__(None, None, None)


def run_in_folder(
    target: Path,
    config: Mapping[str, Any],
    compute: Callable[[], xr.Dataset],
    hydra_files: Mapping[str, str] | None = None,
) -> tuple[xr.Dataset, str]:
    """Skip or compute one run whose results go to ``target``, under the folder's lock.

    Parameters
    ----------
    target : Path
        The results file; its folder is the run folder.
    config : mapping
        The run's resolved config (e.g. ``RunSpec.to_mapping()``).
    compute : callable
        Runs the simulation and returns its results.
    hydra_files : mapping, optional
        As for :func:`claim`.

    Returns
    -------
    ds : xarray.Dataset
        The results, read back (skipped) or just computed and written.
    status : {"skipped", "done"}
        Which it was.

    Raises
    ------
    RunFolderError
        As :func:`claim`; nothing is computed or written then.
    """
    target = Path(target)
    with claim(target.parent, target.name, config, hydra_files) as folder:
        if folder.existing is not None:
            return folder.existing, "skipped"
        ds = compute()
        folder.commit(ds)
        return ds, "done"
