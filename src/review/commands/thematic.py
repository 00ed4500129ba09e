"""`review thematic`: (being built)."""
from __future__ import annotations

HELP = "(not yet available)"


def add_arguments(parser) -> None:
    pass


def run(args) -> int:
    raise NotImplementedError("review thematic is not built yet")
