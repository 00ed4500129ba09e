"""The `review` command line: one subcommand per module in `review.commands`.

Each subcommand module defines `HELP`, `add_arguments(parser)` and `run(args) -> int`. Errors derived
from `ReviewError` become one line on stderr and their exit code; anything else is a bug, reported in
one line with exit code 70 (set REVIEW_DEBUG=1 to see the traceback). Output piped into a reader that
stops early (`review flags CASE | head`) ends quietly with exit code 141, as a command killed by
SIGPIPE does in the shell.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from . import __version__
from .errors import ReviewError

COMMANDS = {
    "validate": "review.commands.validate",
    "flags": "review.commands.flags",
    "decide": "review.commands.decide",
    "decisions": "review.commands.decisions",
    "build": "review.commands.build",
    "verify": "review.commands.verify",
    "notebooks": "review.commands.notebooks",
    "synth": "review.commands.synth",
    "build-all": "review.commands.build_all",
    "compact": "review.commands.compact",
    "thematic": "review.commands.thematic",
    "dask-rules": "review.commands.dask_rules",
}

INTERNAL_ERROR = 70
#: 128 + SIGPIPE: what the shell reports for a command whose reader closed the pipe
CLOSED_PIPE = 141


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="review", description="Inspection review analytics.")
    parser.add_argument("--version", action="version", version=f"review {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        cmd = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(cmd)
        cmd.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    try:
        code = int(args._run(args) or 0)
        sys.stdout.flush()  # a reader that has gone shows here, not in the interpreter's exit
        return code
    except BrokenPipeError:
        return _stdout_closed()
    except ReviewError as exc:
        print(f"review: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("review: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: one line, no traceback unless asked for
        if os.environ.get("REVIEW_DEBUG"):
            raise
        print(f"review: internal error: {type(exc).__name__}: {exc} (set REVIEW_DEBUG=1 for details)", file=sys.stderr)
        return INTERNAL_ERROR


def _stdout_closed() -> int:
    """The reader of stdout has gone: say nothing more (the Python documentation's recipe, "Note on
    SIGPIPE"): point stdout at devnull so that the flush at exit does not fail a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout is not a real file (a test's capture)
        pass
    return CLOSED_PIPE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
