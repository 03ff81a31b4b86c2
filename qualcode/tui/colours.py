"""Colours: each code's (from the codebook, else a fixed palette), speaker roles, tints."""

from __future__ import annotations

from functools import lru_cache

from rich.style import Style
from textual.color import Color

from qualcode.domain.codebook import Codebook

PALETTE = ["#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2", "#7F7F7F",
           "#BCBD22", "#17BECF"]
UNKNOWN = "#9E9E9E"
"""A code that is no longer in the codebook."""

ROLE_COLOURS = {"interviewer": "#6FA8DC", "respondent": "#E8A33D", None: "#B4B4B4"}
SELECTION_BG = "#D0D0D0"
"""Selection: light grey behind black text, unlike any code's tint (tints are dark blends)."""
SELECTION_FG = "#000000"


def code_colours(book: Codebook) -> dict[str, str]:
    """Colour of each code: its own, else its parent's, else the palette by tree order."""
    out: dict[str, str] = {}
    for i, code in enumerate(book.walk()):
        colour = code.colour
        if not colour and code.parent in out and book.get(code.parent).colour:
            colour = out[code.parent]
        out[code.id] = (colour or PALETTE[i % len(PALETTE)]).upper()
    return out


@lru_cache(maxsize=1024)
def tint(colour: str, background: str, amount: float = 0.45) -> str:
    """``colour`` laid over ``background`` at ``amount`` (a readable highlight behind text)."""
    return Color.parse(background).blend(Color.parse(colour), amount).hex


@lru_cache(maxsize=256)
def swatch(colour: str) -> Style:
    return Style(color=colour, bold=True)
