"""The workbench's part in a shared project: every few minutes (``[team] check_minutes`` of
qualcode.toml, default 5, 0 = never), a worker fetches from the project's git remote and, when others'
commits touching codings or the codebook arrived there, notifies once: "New work from ana, ben (...):
sync to bring it in". Nothing runs when the project is not a git repository with a remote; the fetch
never touches the folder or the journals (only the remote-tracking branch), never blocks the screen,
and a failure (no network, a remote gone) is one line in ``team_status`` and the log, no notice.

Also "Codebook conflicts" (command palette) when a merge left choices to make."""

from __future__ import annotations

from textual import work

from qualcode.errors import QualcodeError


_NOT_SHARED = "not checking for the team's work (the project is not shared with a git remote)"


class TeamCheck:
    """Mixed into the WorkbenchApp."""

    team_status: str = ""
    """The last check's outcome in words (a failure, or what was seen)."""
    _team_seen: str | None = None
    _team_failed: bool = False

    def start_team_check(self) -> None:
        from qualcode.services.sync import check_minutes

        project = self.desk.project
        try:
            minutes = check_minutes(project.config, project.root)
        except QualcodeError as exc:
            self.report(exc, title="qualcode.toml")
            return
        if not minutes:
            self.team_status = "not checking for the team's work ([team] check_minutes = 0)"
        elif not (project.root / ".git").exists():
            self.team_status = _NOT_SHARED
        else:
            self.team_setup_worker(minutes)  # git's configuration is read off the screen's thread too

    # not exclusive: the setup (started after the first refresh) and a check may overlap, and an
    # exclusive worker would cancel the other (check_team keeps checks from piling up)
    @work(thread=True, group="team-check", exit_on_error=False)
    def team_setup_worker(self, minutes: float) -> None:
        from qualcode.services.sync import shared_remote

        shared = shared_remote(self.desk.project.root) is not None
        self.call_from_thread(self.team_check_begin, minutes if shared else 0.0)

    def team_check_begin(self, minutes: float) -> None:
        if not minutes:
            self.team_status = _NOT_SHARED
            return
        self.team_status = f"checking for the team's work every {minutes:g} min"
        self.set_interval(minutes * 60, self.check_team, name="team-check")

    def check_team(self) -> None:
        """Start one check (in a worker), unless a sync or another check is under way."""
        if any(w.group in ("sync", "team-check") and not w.is_finished for w in self.workers):
            return
        self.team_check_worker()

    @work(thread=True, group="team-check", exit_on_error=False)
    def team_check_worker(self) -> None:
        from qualcode.services.sync import incoming

        project = self.desk.project
        try:
            news = incoming(project.root, project.config.codings, project.config.codebook)
        except QualcodeError as exc:
            self.call_from_thread(self.team_check_failed, exc.message)  # one line (the log has no hint to act on)
            return
        self.call_from_thread(self.team_news, news)

    def team_check_failed(self, message: str) -> None:
        self.team_status = f"could not check for the team's work: {message}"
        if not self._team_failed:  # said once, in the log; never a notice
            self._team_failed = True
            self.log.warning(self.team_status)

    def team_news(self, news) -> None:
        self._team_failed = False
        if news is None:
            self.team_status = "nothing new from the team"
            return
        self.team_status = news.words()
        if news.head != self._team_seen:
            self._team_seen = news.head
            self.notify(news.words() + " (ctrl+p, Sync with the team).", title="Team", timeout=30, markup=False)

    def action_conflicts(self) -> None:
        from qualcode.tui.screens.conflicts import ConflictsDialog

        self.push_screen(ConflictsDialog())

    def has_conflicts(self) -> bool:
        from qualcode.store.codebook_merge import open_conflicts

        return bool(open_conflicts(self.desk.project.codebook_path))
