"""A list of many rows drawn on demand (a Line API widget): only visible rows cost anything."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip


class VirtualList(ScrollView, can_focus=True):
    """Rows come from ``row_segments(i, width)``; a subclass says what row ``i`` holds."""

    ALLOW_SELECT = False
    BINDINGS = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
        Binding("enter", "choose", "Open", show=True),
    ]
    DEFAULT_CSS = """
    VirtualList {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        background: $surface;
    }
    VirtualList > .virtual-list--cursor {
        background: $block-cursor-blurred-background;
    }
    VirtualList:focus > .virtual-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    """
    COMPONENT_CLASSES = {"virtual-list--cursor"}

    class Chosen(Message):
        """Enter (or a double click) on a row."""

        def __init__(self, widget: "VirtualList", index: int) -> None:
            super().__init__()
            self.widget = widget
            self.index = index

        @property
        def control(self) -> "VirtualList":
            return self.widget

    class Highlighted(Message):
        def __init__(self, widget: "VirtualList", index: int) -> None:
            super().__init__()
            self.widget = widget
            self.index = index

        @property
        def control(self) -> "VirtualList":
            return self.widget

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, VirtualList.Highlighted) and message.widget is self.widget

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.count = 0
        self.cursor = 0

    # -- content ---------------------------------------------------------------------------
    def row_segments(self, index: int, width: int) -> list[Segment]:
        return []

    STEP = 64
    """The scrollable height grows and shrinks in steps of this many rows: a new virtual size costs a
    layout of the whole screen, which one more row (a coding applied) should not."""

    def set_count(self, count: int) -> None:
        self.count = count
        self.cursor = max(0, min(self.cursor, count - 1))
        self._size_for(count)
        self.refresh()

    def _size_for(self, count: int) -> None:
        region = self.scrollable_content_region
        view = max(1, region.height)
        want = view if count <= view else -(-count // self.STEP) * self.STEP
        have = self.virtual_size
        if have.width != region.width or count > have.height or want < have.height - self.STEP \
                or (count <= view and have.height != view):
            self.virtual_size = Size(region.width, want)

    def on_resize(self, event: events.Resize) -> None:
        self._size_for(self.count)

    # -- cursor ----------------------------------------------------------------------------
    def move_to(self, index: int, *, notify: bool = True) -> None:
        if self.count == 0:
            return
        index = max(0, min(index, self.count - 1))
        self.cursor = index
        height = max(1, self.scrollable_content_region.height)
        top = int(self.scroll_y)
        if index < top:
            self.scroll_to(y=index, animate=False, immediate=True)
        elif index >= top + height:
            self.scroll_to(y=index - height + 1, animate=False, immediate=True)
        self.refresh()
        if notify:
            self.post_message(self.Highlighted(self, index))

    def action_cursor(self, step: int) -> None:
        self.move_to(self.cursor + step)

    def action_page(self, step: int) -> None:
        self.move_to(self.cursor + step * max(1, self.scrollable_content_region.height - 1))

    def action_jump(self, where: int) -> None:
        self.move_to(0 if where == 0 else self.count - 1)

    def action_choose(self) -> None:
        if self.count:
            self.post_message(self.Chosen(self, self.cursor))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = int(self.scroll_y) + offset.y
        if index < self.count:
            self.move_to(index)
            if event.chain >= 2:
                self.action_choose()

    # -- drawing ---------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + int(self.scroll_y)
        base = self.rich_style
        if index >= self.count:
            return Strip.blank(width, base)
        segments = self.row_segments(index, width)
        strip = Strip(segments).crop_extend(0, width, base)
        if index == self.cursor:
            cursor = self.get_component_rich_style("virtual-list--cursor")
            over = Style(bgcolor=cursor.bgcolor, color=cursor.color, bold=cursor.bold)
            strip = Strip([Segment(text, (style or base) + over, control) for text, style, control in strip])
        return strip
