"""Search in the open transcript: `/` opens the bar, Enter finds, f3 / shift+f3 step through matches.

The bar says how many matches there are and which one is selected ("match 2 of 33"); Esc closes it and
the matches' highlights go with it (f3 / shift+f3 still step through them, saying "match i of N").
A mixin of the coding screen (it uses the screen's ``view``, ``transcript`` and ``desk``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from textual.css.query import NoMatches
from textual.widgets import Input, Label

from qualcode.tui.markup import find_shown
from qualcode.tui.widgets.status import StatusLine


class SearchMixin:
    search_hits: list[tuple[int, int]] = []
    """The last search's matches (for f3 after the bar is closed)."""
    search_query: str = ""

    def action_search(self) -> None:
        self.query_one("#searchbar").add_class("open")
        if self.search_hits:  # the last search's matches lit again while the bar is open
            self.view.set_matches(self.search_hits)
        self.query_one("#search", Input).focus()

    def close_search(self) -> bool:
        """Close the bar (if open) and put out the matches' highlights. Returns whether it was open."""
        bar = self.query_one("#searchbar")
        if not bar.has_class("open"):
            return False
        bar.remove_class("open")
        self.view.set_matches([])
        self.view.focus()
        if self.search_hits:
            n = len(self.search_hits)
            said = f"{n} match{'es' if n != 1 else ''} of “{self.search_query}”: f3 / shift+f3 step through them"
            self.query_one(StatusLine).show(self.desk, said, first=True)
        return True

    def forget_search(self) -> None:
        """Another transcript: the last search's matches were in the one before."""
        self.search_hits, self.search_query = [], ""
        self._count("")
        if self.is_mounted:
            self.view.set_matches([])

    def _count(self, text: str) -> None:
        try:
            self.query_one("#search-count", Label).update(text)
        except NoMatches:  # not composed yet
            pass

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "search" and event.value.strip() != self.search_query:
            self._count("Enter finds")  # the count shown is the last search's: say it is not this one's

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "search" or self.transcript is None:
            return
        query = event.value.strip()
        if not query:
            self.search_hits, self.search_query = [], ""
            self.view.set_matches([])
            self._count("")
            return
        if query != self.search_query or not self.view.matches:
            pattern = re.compile(re.escape(query), re.IGNORECASE)
            matches = find_shown(pattern, self.transcript.text, self.view.hidden)  # as shown: markup left out
            self.search_hits, self.search_query = matches, query
            self.view.set_matches(matches)
            if not matches:
                self._count("no match")
                self.app.notify(f"“{query}” is not in this transcript.", severity="warning")
                return
            self._count(f"{len(matches)} match{'es' if len(matches) != 1 else ''}")
        self.action_find(1)

    def action_find(self, step: int) -> None:
        matches = self.view.matches or self.search_hits
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
        said = f"match {i + 1} of {len(matches)}"
        self._count(said)
        self.query_one(StatusLine).show(self.desk, said, first=True)
