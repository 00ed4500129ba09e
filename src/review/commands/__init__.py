"""Subcommands of the `review` CLI, one module each."""
