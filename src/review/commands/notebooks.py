"""`review notebooks CASE_DIR`: execute the notebook suite on a case with papermill.

Everything that can be checked is checked before the first notebook runs: the notebooks and the
parameters asked for exist, the case loads and analyses (the same errors and exit codes as `review
build`), and `--out` is a folder `review build` would write into. A notebook that still fails on a
`ReviewError` ends the run with that error's one line and exit code.
"""
from __future__ import annotations

import sys
from pathlib import Path

HELP = "execute the notebook suite on a case; executed .ipynb and .html copies go to the report folder"


def add_arguments(parser) -> None:
    parser.add_argument("case_dir", metavar="CASE_DIR", help="the case folder (holding case.yml)")
    parser.add_argument("--out", metavar="DIR",
                        help="report folder (default reports/<case_id>/): new, empty or a report folder, as for "
                             "review build; the executed copies go to its notebooks/")
    parser.add_argument("--notebooks", metavar="DIR", help="folder of the suite (default ./notebooks)")
    # extend, not store: "--only 02_timeline_explorer --only 03_missed_escalations" runs both (a second
    # --only replaced the first, silently)
    parser.add_argument("--only", nargs="+", action="extend", metavar="NAME",
                        help="run only these notebooks (names without .ipynb), e.g. 03_missed_escalations or "
                             "05_thematic_review (not in the default suite 01-04); repeatable, and a notebook "
                             "named twice runs once")
    parser.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE",
                        help="set a parameter of every notebook in the run that declares it (repeatable); the "
                             "value is read as YAML: --param synth_cases=0, --param 'record={flag_no: 1, "
                             "decision: accepted, rationale: Seen late, author: Jane Okafor}'")
    parser.add_argument("--no-html", action="store_true", help="do not write the .html copies")
    parser.add_argument("--no-progress", action="store_true",
                        help="no progress bars (they are shown only on a terminal anyway)")


def parse_params(items: list[str]) -> dict[str, object]:
    """`NAME=VALUE` strings as {name: value}, each value read as YAML (a number, null, a mapping...)."""
    import yaml

    from ..errors import ConfigError

    params: dict[str, object] = {}
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise ConfigError(f"--param {item!r}: expected NAME=VALUE")
        if name in ("case_dir", "out_dir"):
            raise ConfigError(f"--param {name}: give the case as CASE_DIR and the report folder with --out")
        try:
            params[name] = yaml.safe_load(text) if text.strip() else ""
        except yaml.YAMLError as exc:
            raise ConfigError(f"--param {name}: the value is not valid YAML ({exc.problem or exc})") from None
    return params


def run(args) -> int:
    from ..build import _check_out_dir, default_out_dir
    from ..config import load_case_config
    from ..errors import ConfigError
    from ..notebooks import SUITE, declared_parameters, find_notebooks_dir, is_path_parameter, run_notebooks
    from ..pipeline import analyse, load_case

    names = list(dict.fromkeys(args.only or SUITE))  # in the order given, each once
    notebooks_dir = find_notebooks_dir(Path(args.notebooks) if args.notebooks else None)
    declared = {name: declared_parameters(name, notebooks_dir) for name in names}
    given = parse_params(args.param)
    for name, value in given.items():
        if not any(name in params for params in declared.values()):
            takes = "; ".join(f"{nb}: {', '.join(p) or 'none'}" for nb, p in declared.items())
            raise ConfigError(f"--param {name}: no notebook in this run takes it ({takes})")
        if is_path_parameter(name) and isinstance(value, str) and value:
            given[name] = str(Path(value).resolve())  # the notebooks run in their own folder
    parameters = {name: {key: value for key, value in given.items() if key in declared[name]} for name in names}

    config = load_case_config(args.case_dir)
    # the case_id is the case's word, not a path: "../../x" must not leave reports/
    out_dir = Path(args.out) if args.out else default_out_dir(config)
    on_the_case = [name for name in names if "case_dir" in declared[name]]
    if on_the_case:
        # what notebooks 01-04 would fail on, found before any of them runs or writes
        _check_out_dir(out_dir, Path(args.case_dir))
        analysis = analyse(load_case(args.case_dir))
        check_records(args.case_dir, parameters, analysis)
    ignored = [name for name in names if "case_dir" not in declared[name]]
    for name in ignored:
        print(f"note: {name} does not read CASE_DIR (it takes: {', '.join(declared[name])}); "
              "set its parameters with --param NAME=VALUE", file=sys.stderr)
    executed = run_notebooks(
        args.case_dir,
        out_dir,
        notebooks_dir=notebooks_dir,
        names=names,
        parameters=parameters,
        html=not args.no_html,
        progress=not args.no_progress and sys.stderr.isatty(),
    )
    for path in executed:
        print(f"executed {path}")
    return 0


def check_records(case_dir, parameters: dict[str, dict], analysis) -> None:
    """Check each notebook's `record` parameter (notebook 03's decision to record) as the notebook will, before
    any notebook runs: a mistake stops the run with the error the notebook would raise ("notebook NAME: ..."),
    not after notebooks 01 and 02 have run and written their copies. Nothing is recorded here."""
    from ..decisions import check_record_parameter
    from ..errors import ReviewError

    for name, values in parameters.items():
        record = values.get("record")
        if not record:  # the notebook records nothing either
            continue
        try:
            check_record_parameter(case_dir, record, analysis)
        except ReviewError as exc:
            raise type(exc)(f"notebook {name}: {exc}") from None
