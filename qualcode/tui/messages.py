"""Messages any screen may post to the App."""

from __future__ import annotations

from textual.message import Message


class OpenAt(Message):
    """Open the coding screen on ``transcript_id`` with ``[start, end)`` selected."""

    def __init__(self, transcript_id: str, start: int | None = None, end: int | None = None) -> None:
        super().__init__()
        self.transcript_id = transcript_id
        self.start = start
        self.end = end
