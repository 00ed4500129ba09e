"""The notebook kernel imports the `review` being run (tested), not another checkout's install: the package
location is given to the kernel as an absolute PYTHONPATH entry (`review.notebooks.kernel_pythonpath`), and
the inherited entries are made absolute (the kernel runs in the notebooks folder, where "src" is nothing)."""
from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest

from review import notebooks
from review.kernel_client import PolledKernelManager

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"


def test_the_package_comes_first_and_inherited_entries_are_made_absolute(tmp_path):
    environ = {"PYTHONPATH": os.pathsep.join(["src", "", "/opt/lib", str(SRC)])}
    path = notebooks.kernel_pythonpath(SRC, environ, cwd=tmp_path).split(os.pathsep)
    assert path == [str(SRC), str((tmp_path / "src").resolve()), str(tmp_path.resolve()), "/opt/lib"]
    assert all(Path(p).is_absolute() for p in path)


def test_without_a_package_only_the_inherited_entries_absolute_or_nothing(tmp_path):
    assert notebooks.kernel_pythonpath(None, {"PYTHONPATH": "src"}, cwd=tmp_path) == str((tmp_path / "src").resolve())
    assert notebooks.kernel_pythonpath(None, {}, cwd=tmp_path) == ""
    assert notebooks.kernel_pythonpath(Path("src"), {}, cwd=tmp_path) == str(Path("src").resolve())


def test_the_default_package_dir_is_where_this_review_came_from():
    import review

    assert notebooks.installed_package_dir() == Path(review.__file__).resolve().parents[1]


def test_run_notebooks_gives_the_kernel_manager_the_package_dir(monkeypatch, tmp_path):
    import papermill

    seen = {}

    def fake_execute(source, target, **kwargs):
        seen.update(kwargs)
        raise RuntimeError("stop")

    monkeypatch.setattr(papermill, "execute_notebook", fake_execute)
    monkeypatch.setenv("PYTHONPATH", "src")
    case = tmp_path / "case"
    case.mkdir()
    with pytest.raises(RuntimeError, match="stop"):
        notebooks.run_notebooks(case, tmp_path / "out", names=["01_ingest_and_validate"], html=False,
                                package_dir=SRC)
    assert seen["kernel_manager_class"] is PolledKernelManager
    python_path = seen["config"].PolledKernelManager.python_path.split(os.pathsep)
    assert python_path[0] == str(SRC)
    assert all(Path(p).is_absolute() for p in python_path)
    # a manager built with that config (as nbclient builds it) carries it
    assert PolledKernelManager(config=seen["config"]).python_path == seen["config"].PolledKernelManager.python_path


def _probe_notebooks(folder: Path) -> Path:
    """A notebooks folder whose first notebook only prints where it imported `review` from."""
    folder.mkdir()
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("case_dir = ''\nout_dir = ''")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("import review\nprint('REVIEW_FROM', review.__file__)")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / "01_ingest_and_validate.ipynb")
    return folder


@pytest.mark.slow
def test_the_kernel_imports_the_review_under_test_with_a_relative_pythonpath(monkeypatch, tmp_path):
    """PYTHONPATH=src given relative to the checkout: the kernel (run in the notebooks folder) imported
    the editable install of another checkout instead."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("PYTHONPATH", "src")
    case = tmp_path / "case"
    case.mkdir()
    [path] = notebooks.run_notebooks(case, tmp_path / "out", notebooks_dir=_probe_notebooks(tmp_path / "nbs"),
                                     names=["01_ingest_and_validate"], html=False, progress=False,
                                     cell_timeout=120, package_dir=SRC)
    printed = "".join(o.get("text", "") for c in nbformat.read(path, as_version=4).cells
                      if c.cell_type == "code" for o in c.get("outputs", []))
    [line] = [x for x in printed.splitlines() if x.startswith("REVIEW_FROM")]
    assert Path(line.split(" ", 1)[1]).resolve() == (SRC / "review" / "__init__.py").resolve()
