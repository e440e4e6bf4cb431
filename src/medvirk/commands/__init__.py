"""Subcommands of the `medvirk` command line, one module each (see medvirk.cli)."""
