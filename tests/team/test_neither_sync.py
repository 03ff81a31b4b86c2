"""A passage settled as "neither" on one machine (a transcript mark in the consensus journal, no coding)
and taken as a coder's coding on another: the sync says the two people decided differently, as it does
for two different codings (``services.sync_consensus``: the marks are compared too)."""

from __future__ import annotations

from tests.team.test_sync_s24_notes import consensus, settle_on_two_machines, sync
from tests.team.test_team import team  # noqa: F401 - the fixture


def test_neither_on_one_machine_and_a_coding_on_the_other_is_said(team):  # noqa: F811
    lead, ben = team["lead"], team["ben"]
    said = settle_on_two_machines(team, "neither", "ana")
    told = [n for n in said.splitlines() if "settled on two machines at once" in n]
    assert told, said  # the neither was never compared: nothing was said
    assert "lead made it neither (nothing coded, settled as neither)" in told[0], told[0]
    assert "ben made it 97-126 “community empowerment network”" in told[0], told[0]
    assert "ben's choice (the other's no longer applies)" in told[0] and "Agreement screen" in told[0], told[0]
    assert "lead made it neither" in sync(lead)  # the lead is told too
    for machine in (lead, ben):  # nothing removed: ben's coding stands, as the workbench shows it
        assert consensus(machine) == [("int-1", "theme", 97, 126)], machine.name


def test_neither_on_both_machines_is_not_said(team):  # noqa: F811
    said = settle_on_two_machines(team, "neither", "neither")
    assert "settled on two machines at once" not in said, said
