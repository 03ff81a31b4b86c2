"""The command palette (ctrl+p): every action of the workbench by name.

The keyed actions of the App and of the screen the palette was opened on (and its widgets with keys,
such as the codebook panel or the suggestions panel) come from their ``BINDINGS`` through
``qualcode.tui.keys``, so the palette and the key sheet list the same things. Then: apply a code by
name (on the coding screen), open a transcript, retrieve a code's segments, switch coder. Searching
ranks with ``qualcode.tui.rank`` (bounded cost per keystroke, however long the query).
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from qualcode.analysis.data import plural
from qualcode.tui.keys import described, key_label, place_of
from qualcode.tui.rank import Candidate, Ranker, normalise

SKIP_ACTIONS = {"quit", "dismiss(None)", "app.pop_screen"}
"""Keyed actions the palette leaves to their key (the App's own commands already include Quit)."""


class WorkbenchCommands(Provider):
    def keyed(self) -> list[tuple[str, object, str]]:
        """(title, callback, help) for every described binding of the App and of this screen."""
        app = self.app
        screen = self.screen
        nodes = [app, screen, *screen.query("*")]
        out: list[tuple[str, object, str]] = []
        seen: set[tuple[int, str]] = set()
        for node in nodes:
            cls = type(node)
            place = place_of(cls)
            if place is None:
                continue
            for binding, text in described(cls):
                if binding.action in SKIP_ACTIONS or (id(node), binding.action) in seen:
                    continue
                seen.add((id(node), binding.action))
                title = f"{text[0].upper()}{text[1:]}"
                if node is not app:
                    title = f"{place.title.split(' (')[0]}: {title}"
                out.append((title, partial(app.run_action, binding.action, node), f"key: {key_label(binding.key)}"))
        return out

    def _commands(self) -> list[tuple[str, object, str, bool]]:
        """(title, callback, help, shown before typing)."""
        from qualcode.tui.screens.coding import CodingScreen

        app = self.app
        desk = app.desk
        screen = self.screen
        out: list[tuple[str, object, str, bool]] = [(t, c, h, True) for t, c, h in self.keyed()]
        if isinstance(screen, CodingScreen) and screen.transcript is not None:
            for code in desk.codebook.walk():
                key = f" [{code.shortcut}]" if code.shortcut else ""
                out.append((f"Apply code: {desk.codebook.path_name(code.id)}{key}",
                            partial(screen.apply_code, code.id), code.definition[:80], False))
        for e in desk.project.index:
            out.append((f"Open transcript: {e.id} · {e.title}", partial(app.open_transcript, e.id),
                        f"{e.words} words, {plural(e.turns, 'turn')}", False))
        for code in desk.codebook.walk():
            out.append((f"Retrieve: {desk.codebook.path_name(code.id)}", partial(app.retrieve, code.id),
                        "every coded segment of this code", False))
        for coder in desk.coder_choices():
            if coder != desk.coder:
                out.append((f"Switch coder: {coder}", partial(app.switch_coder, coder), "code as this coder", False))
        return out

    async def discover(self) -> Hits:
        for title, callback, help_text, shown in self._commands():
            if shown:
                yield DiscoveryHit(Content(title), callback, text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        commands = self._commands()
        ranked = Ranker([Candidate(i, title) for i, (title, *_) in enumerate(commands)]).rank(query)
        q = normalise(query)
        for place, hit in enumerate(ranked):
            title, callback, help_text, _ = commands[hit.candidate.key]
            shown = Content(title)
            at = title.lower().find(q)
            if q and at >= 0:
                shown = shown.stylize("reverse", at, at + len(q))
            yield Hit(1.0 - place / (len(ranked) + 1), shown, callback, text=title, help=help_text)
