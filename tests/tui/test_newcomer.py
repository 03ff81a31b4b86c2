"""A newcomer exploring a project someone else coded codes as themselves, never as the project's default coder."""

from __future__ import annotations

import getpass

from qualcode.tui.app import default_coder, make_app
from tui_helpers import journal, opened, span_of


def test_the_workbench_codes_as_you_not_as_the_projects_default_coder(study, monkeypatch):
    study.config.default_coder = "ann"  # like researcher_a in the bundled study
    monkeypatch.delenv("QUALCODE_CODER", raising=False)
    monkeypatch.setattr(getpass, "getuser", lambda: "new person")
    assert default_coder(study) == "new_person"
    monkeypatch.setenv("QUALCODE_CODER", "ben")
    assert default_coder(study) == "ben"


async def test_exploring_writes_only_your_own_journal(study, monkeypatch):
    study.config.default_coder = "ann"
    ann = study.session("ann")
    ann.add("int-1", *span_of(study, "int-1", "The outcomes matter"), "outcome")
    ann.close()
    before = (study.codings_dir / "ann.jsonl").read_bytes()
    monkeypatch.delenv("QUALCODE_CODER", raising=False)
    monkeypatch.setattr(getpass, "getuser", lambda: "visitor")
    app = make_app(study)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(app, pilot)
        screen.view.select(*span_of(study, "int-1", "We monitor ethnicity"))
        await pilot.press("b")
        await pilot.pause()
        assert app.desk.coder == "visitor"
    assert (study.codings_dir / "ann.jsonl").read_bytes() == before
    assert [r["coding"]["code"] for r in journal(study, "visitor")] == ["barrier"]
