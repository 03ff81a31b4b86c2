"""The shared ``qualcode export`` group: each export area adds its subcommands to it.

REFI-QDA (``qdpx``, ``qdc``) come from ``qualcode.cli.interchange``; Word and spreadsheet exports
add theirs from their own module. A module that adds commands lists ``export_group`` in its
``COMMANDS`` (registering the same group twice is harmless).
"""

from __future__ import annotations

import click

export_group = click.Group(
    "export",
    help="Write the project out: REFI-QDA exchange files (qdpx, qdc), reports and tables.",
)
