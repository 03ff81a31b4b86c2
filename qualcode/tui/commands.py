"""The command palette (ctrl+p): every action of the workbench by name.

Open a transcript, apply a code by name (on the coding screen), retrieve a code's segments,
switch coder, and the coding screen's actions; the screens in ``registry.SCREENS`` and the
App's own commands come through ``App.get_system_commands``.
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class WorkbenchCommands(Provider):
    def _commands(self) -> list[tuple[str, object, str, bool]]:
        """(title, callback, help, shown before typing)."""
        from qualcode.tui.screens.coding import CodingScreen

        app = self.app
        desk = app.desk
        screen = self.screen
        coding = isinstance(screen, CodingScreen) and screen.transcript is not None
        out: list[tuple[str, object, str, bool]] = []
        if coding:
            for title, action, help_text in [
                ("Select sentence", "select_sentence", "s"), ("Select turn", "select_turn", "t"),
                ("Code picker", "pick_code", "c: apply a code to the selection"),
                ("Remove coding", "remove", "x: the coding under the cursor"),
                ("Recode coding", "recode", "C: give the coding under the cursor another code"),
                ("Memo on coding", "memo", "m"), ("Next coding", "jump(1, False)", "n"),
                ("Previous coding", "jump(-1, False)", "p"), ("Undo", "undo", "u"), ("Redo", "redo", "U / ctrl+y"),
                ("Search transcript", "search", "/"),
            ]:
                out.append((title, partial(screen.run_action, action), help_text, True))
            for code in desk.codebook.walk():
                key = f" [{code.shortcut}]" if code.shortcut else ""
                out.append((f"Apply code: {desk.codebook.path_name(code.id)}{key}",
                            partial(screen.apply_code, code.id), code.definition[:80], False))
        for e in desk.project.index:
            out.append((f"Open transcript: {e.id} · {e.title}", partial(app.open_transcript, e.id),
                        f"{e.words} words, {e.turns} turns", False))
        for code in desk.codebook.walk():
            out.append((f"Retrieve: {desk.codebook.path_name(code.id)}", partial(app.retrieve, code.id),
                        "every coded segment of this code", False))
        for coder in desk.project.coders():
            if coder != desk.coder:
                out.append((f"Switch coder: {coder}", partial(app.switch_coder, coder), "code as this coder", False))
        return out

    async def discover(self) -> Hits:
        for title, callback, help_text, shown in self._commands():
            if shown:
                yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback, help_text, _ in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
