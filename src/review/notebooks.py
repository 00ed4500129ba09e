"""Execute the notebook suite headless with papermill, writing executed copies (.ipynb and .html).

The notebooks live in the repository's `notebooks/` folder (paired with jupytext `py:percent` files);
each has a `parameters` cell taking at least `case_dir` and `out_dir`.
"""
from __future__ import annotations

from pathlib import Path

from .errors import ConfigError

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
) -> list[Path]:
    """Execute the suite (or `names`) on a case; return the executed notebooks' paths.

    Executed copies go to `out_dir/notebooks/`; cells run with the notebooks folder as working
    directory, and `case_dir` / `out_dir` are passed as absolute paths. A cell error raises
    papermill's PapermillExecutionError naming the notebook and cell. A cell still running after
    `cell_timeout` seconds fails the same way (None: wait for ever), so that a hung kernel cannot hold
    the run for ever.

    The kernel's messages are read by `review.kernel_client.PolledKernelClient`, which looks at the
    sockets' queues at least twice a second. nbclient's own client can miss the wake-up for a reply that
    has arrived, and then waits out the whole `cell_timeout` before reading it: the suite's intermittent
    stall, about one run in ten, on the widget cell of 02_timeline_explorer.
    """
    import papermill as pm

    from .kernel_client import PolledKernelManager

    case_dir = Path(case_dir).resolve()
    out_dir = Path(out_dir).resolve()
    source_dir = find_notebooks_dir(Path(notebooks_dir) if notebooks_dir else None)
    target_dir = out_dir / "notebooks"
    target_dir.mkdir(parents=True, exist_ok=True)
    executed = []
    for name in names or SUITE:
        source = source_dir / f"{name}.ipynb"
        if not source.exists():
            raise ConfigError(f"notebook {name!r} not found", file=source)
        target = target_dir / f"{name}.ipynb"
        params = {"case_dir": str(case_dir), "out_dir": str(out_dir), **(parameters or {}).get(name, {})}
        pm.execute_notebook(
            str(source),
            str(target),
            parameters=params,
            cwd=str(source_dir),
            kernel_name="python3",
            progress_bar=progress,
            execution_timeout=cell_timeout,
            kernel_manager_class=PolledKernelManager,
        )
        if html:
            to_html(target)
        executed.append(target)
    return executed
