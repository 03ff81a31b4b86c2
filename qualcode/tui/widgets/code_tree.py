"""The codebook as a tree: colour, name, shortcut key, and counts (this transcript / the project)."""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from qualcode.domain.codebook import Codebook
from qualcode.tui.colours import UNKNOWN


class CodeTree(Tree[str]):
    """Enter applies the highlighted code (``ApplyRequested``); counts update per code."""

    BINDINGS = [Binding("enter", "apply_code", "Apply code", show=False)]
    DEFAULT_CSS = """
    CodeTree { background: $surface; padding: 0 1 0 0; }
    """

    class ApplyRequested(Message):
        def __init__(self, tree: "CodeTree", code: str) -> None:
            super().__init__()
            self.tree = tree
            self.code = code

        @property
        def control(self) -> "CodeTree":
            return self.tree

    def __init__(self, *, id: str | None = None, show_here: bool = True) -> None:
        super().__init__("Codebook", id=id)
        self.show_root = False
        self.auto_expand = False
        self.guide_depth = 2
        self.show_here = show_here
        self.book = Codebook()
        self.colours: dict[str, str] = {}
        self.here: Counter = Counter()
        self.total: Counter = Counter()
        self.nodes: dict[str, TreeNode[str]] = {}

    def rebuild(self, book: Codebook, colours: dict[str, str], here: Counter, total: Counter) -> None:
        keep = self.cursor_node.data if self.cursor_node is not None else None
        self.book, self.colours, self.here, self.total = book, colours, here, total
        self.clear()
        self.nodes = {}
        for code in book.walk():
            parent = self.nodes.get(code.parent, self.root) if code.parent else self.root
            has_children = bool(book.children(code.id))
            node = parent.add(self._label(code.id), data=code.id, expand=True, allow_expand=has_children)
            self.nodes[code.id] = node
        if keep in self.nodes:
            self.call_after_refresh(self.move_cursor, self.nodes[keep])

    def _label(self, code_id: str) -> Text:
        """``■ name [key]  here/total``; a name too long for the panel is cut with "…" so the key and
        the counts always show."""
        code = self.book.get(code_id)
        colour = self.colours.get(code_id, UNKNOWN)
        name = code.name if code else code_id
        key = f" [{code.shortcut}]" if code is not None and code.shortcut else ""
        here, total = self.here.get(code_id, 0), self.total.get(code_id, 0)
        counts = f"  {here}/{total}" if self.show_here else f"  {total}"
        room = self._room(code_id) - 2 - len(key) - len(counts)
        if room > 0 and len(name) > room:
            name = name[:max(1, room - 1)] + "…"
        label = Text(no_wrap=True)
        label.append("■ ", style=colour)
        label.append(name)
        if key:
            label.append(key, style="bold")
        label.append(counts, style="dim")
        return label

    def _room(self, code_id: str) -> int:
        """Cells left for a code's label on its line (0 before the tree has a size: no cutting)."""
        width = self.scrollable_content_region.width
        if width <= 0:
            return 0
        indent = self.book.depth(code_id) * self.guide_depth if code_id in self.book else 0
        toggle = 2 if self.book.children(code_id) else 0
        return width - indent - toggle - 1

    def on_resize(self, event) -> None:
        if self.nodes:
            self.update_counts(set(self.nodes))

    def update_counts(self, codes: set[str]) -> None:
        for code_id in codes:
            node = self.nodes.get(code_id)
            if node is not None:
                node.set_label(self._label(code_id))

    def select_code(self, code_id: str) -> None:
        node = self.nodes.get(code_id)
        if node is not None:
            self.move_cursor(node)

    @property
    def highlighted_code(self) -> str | None:
        node = self.cursor_node
        return node.data if node is not None else None

    def action_apply_code(self) -> None:
        code = self.highlighted_code
        if code is not None:
            self.post_message(self.ApplyRequested(self, code))
