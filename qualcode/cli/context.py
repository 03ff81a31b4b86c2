"""The context every command gets: the project (opened on first use), the coder, flags."""

from __future__ import annotations

import getpass
import os

import click


class Context:
    """What every command needs: the project (opened on first use), the coder, output flags."""

    def __init__(self, project_dir: str | None, coder: str | None, debug: bool) -> None:
        self.project_dir = project_dir
        self.coder_option = coder
        self.debug = debug
        self._project = None

    @property
    def project(self):
        if self._project is None:
            from qualcode.store.project import Project

            self._project = Project.open(self.project_dir) if self.project_dir else Project.open()
        return self._project

    def close(self) -> None:
        """At the end of a command: sessions keep the cached journal state current, then let go."""
        if self._project is not None:
            self._project.close()

    @property
    def coder(self) -> str:
        from qualcode.store.journal import check_coder_name

        name = (self.coder_option or os.environ.get("QUALCODE_CODER") or self.project.config.default_coder
                or _login_name())
        return check_coder_name(name)

    @property
    def writer(self) -> str:
        """Who a command that changes codings acts as: ``--coder``, ``QUALCODE_CODER`` or the login
        name, never the project's ``default_coder`` by itself (it says whose codings reports show: the
        bundled study's reference coder, whose journal a tour command must not change)."""
        from qualcode.store.journal import check_coder_name

        return check_coder_name(self.coder_option or os.environ.get("QUALCODE_CODER") or _login_name())


def _login_name() -> str:
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "coder"
    plain = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "_.-") else "_" for ch in name).strip("_")
    if plain == name and plain[:1].isalnum():
        return plain[:64]
    from qualcode.formats.refi.names import base_id  # a login such as "анна" or "José": Anna, Jose

    made = base_id(name)
    return made if made[:1].isalnum() else "coder"


pass_ctx = click.make_pass_decorator(Context)
