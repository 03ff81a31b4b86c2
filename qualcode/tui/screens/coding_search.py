"""Search in the open transcript: `/` opens the bar, Enter finds, f3 / shift+f3 step through matches.

A mixin of the coding screen (it uses the screen's ``view``, ``transcript`` and ``desk``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from textual.widgets import Input

from qualcode.tui.markup import find_shown
from qualcode.tui.widgets.status import StatusLine


class SearchMixin:
    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.add_class("open")
        search.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "search" or self.transcript is None:
            return
        query = event.value.strip()
        if not query:
            self.view.set_matches([])
            return
        pattern = re.compile(re.escape(query), re.IGNORECASE)
        matches = find_shown(pattern, self.transcript.text, self.view.hidden)  # as shown: markup left out
        self.view.set_matches(matches)
        if not matches:
            self.app.notify(f"“{query}” is not in this transcript.", severity="warning")
            return
        self.action_find(1)

    def action_find(self, step: int) -> None:
        matches = self.view.matches
        if not matches:
            self.action_search()
            return
        starts = [s for s, _ in matches]
        sel = self.view.selection
        here = sel.start if sel is not None else self.view.cursor
        if step > 0:
            i = bisect_right(starts, here)
            i = i if i < len(matches) else 0
        else:
            i = bisect_left(starts, here) - 1
            i = i if i >= 0 else len(matches) - 1
        start, end = matches[i]
        self.view.select(start, end, cursor_at_start=True, center=True)
        self.query_one(StatusLine).show(self.desk, f"match {i + 1} of {len(matches)}")
