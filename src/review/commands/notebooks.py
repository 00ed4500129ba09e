"""`review notebooks`: execute the notebook suite on a case with papermill."""
from __future__ import annotations

from pathlib import Path

HELP = "execute the notebook suite on a case; executed .ipynb and .html copies go to the report folder"


def add_arguments(parser) -> None:
    parser.add_argument("case_dir", help="the case folder (holds case.yml)")
    parser.add_argument("--out", help="report folder (default reports/<case_id>/)")
    parser.add_argument("--notebooks", help="folder of the suite (default ./notebooks)")
    parser.add_argument("--only", nargs="+", help="run only these notebooks (names without .ipynb)")
    parser.add_argument("--no-html", action="store_true", help="do not write the .html copies")


def run(args) -> int:
    from ..config import load_case_config
    from ..notebooks import run_notebooks

    from ..export import safe_name

    config = load_case_config(args.case_dir)
    # the case_id is the case's word, not a path: "../../x" must not leave reports/
    out_dir = Path(args.out) if args.out else Path("reports") / safe_name(config.case_id, "case")
    executed = run_notebooks(
        args.case_dir,
        out_dir,
        notebooks_dir=args.notebooks,
        names=args.only,
        html=not args.no_html,
    )
    for path in executed:
        print(f"executed {path}")
    return 0
