"""Small printing helpers shared by commands."""

from __future__ import annotations

import json

import click


def emit_json(data) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def table(rows: list[list], headers: list[str]) -> None:
    """A plain aligned text table (numbers right-aligned)."""
    cells = [[str(h) for h in headers]] + [["" if v is None else str(v) for v in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    numeric = [all(_isnum(r[i]) for r in cells[1:]) and len(cells) > 1 for i in range(len(headers))]
    for n, r in enumerate(cells):
        line = "  ".join(v.rjust(widths[i]) if numeric[i] else v.ljust(widths[i]) for i, v in enumerate(r))
        click.echo(line.rstrip())
        if n == 0:
            click.echo("  ".join("-" * w for w in widths))


def _isnum(v: str) -> bool:
    v = v.split(" (")[0]  # "52 (2.0%)": a count and its share
    try:
        float(v.lstrip("<>").rstrip("%").replace(",", ""))
        return True
    except ValueError:
        return v == ""
