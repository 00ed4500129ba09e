"""Execute the notebook suite headless with papermill, writing executed copies (.ipynb and .html).

The notebooks live in the repository's `notebooks/` folder (paired with jupytext `py:percent` files);
each has a `parameters` cell: the case suite (01-04) takes `case_dir` and `out_dir`, the thematic
notebook (05) `cases_dir` and `out_dir`. A notebook is given only the parameters its cell declares.
"""
from __future__ import annotations

import os
from pathlib import Path

from .errors import ConfigError, ReviewError

SUITE = (
    "01_ingest_and_validate",
    "02_timeline_explorer",
    "03_missed_escalations",
    "04_export_report",
)


def find_notebooks_dir(start: Path | None = None) -> Path:
    """The suite's folder: ./notebooks, or the repository's notebooks/ beside src/review."""
    candidates = []
    if start is not None:
        candidates.append(Path(start))
    candidates.append(Path.cwd() / "notebooks")
    candidates.append(Path(__file__).resolve().parents[2] / "notebooks")
    for candidate in candidates:
        if (candidate / f"{SUITE[0]}.ipynb").exists():
            return candidate
    raise ConfigError("notebook suite not found (looked for notebooks/01_ingest_and_validate.ipynb); pass --notebooks DIR")


def to_html(executed: Path) -> Path:
    """Render an executed notebook as standalone HTML next to it."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(executed, as_version=4)
    body, _ = HTMLExporter().from_notebook_node(nb)
    target = executed.with_suffix(".html")
    target.write_text(body, encoding="utf-8")
    return target


#: seconds a notebook cell may run before the run fails (the sample case's slowest cell takes ~2 s)
CELL_TIMEOUT = 1800

#: the kernel's own start-up log (at WARNING it says that a local kernel talks over TCP without
#: encryption, on every notebook); what the cells print and raise still comes through
KERNEL_ARGUMENTS = ("--IPKernelApp.log_level=ERROR",)


def is_path_parameter(name: str) -> bool:
    """Whether a notebook parameter names a file or folder (`case_dir`, `cases_dir`, `out_dir`,
    `declarations`): the notebooks run in their own folder, so such a value given relative to where
    `review` runs is passed on as an absolute path."""
    return name.endswith("_dir") or name == "declarations"


def declared_parameters(name: str, notebooks_dir: str | Path | None = None) -> dict[str, dict]:
    """The parameters notebook `name` declares in its `parameters` cell: {name: {default, help, ...}}."""
    import papermill as pm

    source = find_notebooks_dir(Path(notebooks_dir) if notebooks_dir else None) / f"{name}.ipynb"
    if not source.exists():
        raise ConfigError(f"notebook {name!r} not found (the suite: {', '.join(SUITE)}, 05_thematic_review)",
                          file=source)
    return pm.inspect_notebook(str(source))


def installed_package_dir() -> Path:
    """The folder the running `review` package was imported from (``src`` of a checkout or an editable
    install, or site-packages)."""
    return Path(__file__).resolve().parents[1]


def kernel_pythonpath(package_dir: str | Path | None, environ=None, cwd: str | Path | None = None) -> str:
    """The PYTHONPATH a notebook kernel runs with: `package_dir` (absolute) first, so the kernel imports
    the `review` being run (tested), then this process's PYTHONPATH entries made absolute against `cwd`
    (default the working directory). The kernel runs in the notebooks folder: a relative entry
    ("PYTHONPATH=src") would name a folder there that does not exist, and the kernel would import
    whichever `review` is installed instead (another checkout's editable install). Without
    `package_dir`, only the inherited entries; "" when there are none."""
    environ = os.environ if environ is None else environ
    base = Path(cwd) if cwd is not None else Path.cwd()
    entries = [str(Path(package_dir).resolve())] if package_dir is not None else []
    inherited = str(environ.get("PYTHONPATH") or "")
    for entry in inherited.split(os.pathsep) if inherited else []:
        # an empty entry is the working directory: kept as the one `review` was run from
        absolute = str((base / entry).resolve())
        if absolute not in entries:
            entries.append(absolute)
    return os.pathsep.join(entries)


#: the modules that define ReviewError's subclasses (a notebook cell's error is known by its class name)
ERROR_MODULES = ("review.errors", "review.store", "review.thematic")


def _review_error(exc, name: str) -> ReviewError | None:
    """The ReviewError a notebook cell raised (papermill reports it as PapermillExecutionError), rebuilt
    from its class name and message; None for any other error."""
    import importlib

    ename = str(getattr(exc, "ename", ""))
    for module_name in ERROR_MODULES:
        cls = getattr(importlib.import_module(module_name), ename, None)
        if isinstance(cls, type) and issubclass(cls, ReviewError):
            return cls(f"notebook {name}: {getattr(exc, 'evalue', '')}")
    return None


def run_notebooks(
    case_dir: str | Path,
    out_dir: str | Path,
    *,
    notebooks_dir: str | Path | None = None,
    names: tuple[str, ...] | list[str] | None = None,
    parameters: dict | None = None,
    html: bool = True,
    progress: bool = True,
    cell_timeout: float | None = CELL_TIMEOUT,
    package_dir: str | Path | None = None,
) -> list[Path]:
    """Execute the suite (or `names`) on a case; return the executed notebooks' paths.

    Executed copies go to `out_dir/notebooks/`; cells run with the notebooks folder as working
    directory. Each notebook gets `case_dir` and `out_dir` (absolute paths) if its parameters cell
    declares them, and its entry of `parameters` ({notebook name: {parameter: value}}); a parameter
    the notebook does not declare, or a notebook that does not exist, is a ConfigError raised before
    any notebook runs. A cell that raises a ReviewError stops the run with that error (its class and
    message, prefixed with the notebook's name); any other cell error raises papermill's
    PapermillExecutionError naming the notebook and cell. A cell still running after `cell_timeout`
    seconds fails the same way (None: wait for ever), so that a hung kernel cannot hold the run for ever.

    The kernel imports `review` from `package_dir` (put first on its PYTHONPATH as an absolute path, with
    the inherited entries made absolute: `kernel_pythonpath`); by default the folder this `review` was
    imported from, unless that is site-packages (already on the kernel's path), so that the notebooks run
    the code that runs them, not another checkout's install.

    The kernel's messages are read by `review.kernel_client.PolledKernelClient`, which looks at the
    sockets' queues at least twice a second. nbclient's own client can miss the wake-up for a reply that
    has arrived, and then waits out the whole `cell_timeout` before reading it: the suite's intermittent
    stall, about one run in ten, on the widget cell of 02_timeline_explorer.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError
    from traitlets.config import Config

    from .kernel_client import PolledKernelManager

    case_dir = Path(case_dir).resolve()
    out_dir = Path(out_dir).resolve()
    source_dir = find_notebooks_dir(Path(notebooks_dir) if notebooks_dir else None)
    names = list(names or SUITE)
    given = dict(parameters or {})
    unknown = sorted(set(given) - set(names))
    if unknown:
        raise ConfigError(f"parameters given for notebook(s) not in this run: {', '.join(unknown)}")
    plan = []
    for name in names:  # every notebook and parameter checked before anything runs or is written
        declared = declared_parameters(name, source_dir)
        extra = sorted(set(given.get(name, {})) - set(declared))
        if extra:
            raise ConfigError(f"notebook {name} has no parameter {', '.join(extra)} "
                              f"(it takes: {', '.join(declared) or 'none'})")
        params = {key: value for key, value in (("case_dir", str(case_dir)), ("out_dir", str(out_dir)))
                  if key in declared}
        plan.append((name, {**params, **given.get(name, {})}))
    if package_dir is None and installed_package_dir().name not in ("site-packages", "dist-packages"):
        package_dir = installed_package_dir()
    kernel_config = Config({"PolledKernelManager": {"python_path": kernel_pythonpath(package_dir)}})
    target_dir = out_dir / "notebooks"
    target_dir.mkdir(parents=True, exist_ok=True)
    executed = []
    for name, params in plan:
        target = target_dir / f"{name}.ipynb"
        try:
            pm.execute_notebook(
                str(source_dir / f"{name}.ipynb"),
                str(target),
                parameters=params,
                cwd=str(source_dir),
                kernel_name="python3",
                progress_bar=progress,
                execution_timeout=cell_timeout,
                kernel_manager_class=PolledKernelManager,
                extra_arguments=list(KERNEL_ARGUMENTS),
                config=kernel_config,
            )
        except PapermillExecutionError as exc:
            error = _review_error(exc, name)
            if error is None:
                raise
            raise error from None
        if html:
            to_html(target)
        executed.append(target)
    return executed
