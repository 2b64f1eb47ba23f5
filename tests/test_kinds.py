"""One table of what each kind of interaction is (domain.KINDS), read everywhere it matters."""

from __future__ import annotations

import dataclasses

from tactful.compose.phrasings import GROUPS
from tactful.domain import KINDS, Kind, Outcome
from tactful.playbook.planner import ROUND_KINDS
from tactful.service.followups import OUTCOME_KINDS, LogRequest
from tactful.web.pages import KIND_FIELDS


def test_every_kind_has_its_facts_and_records_only_what_log_takes() -> None:
    assert set(KINDS) == set(Kind)
    takes = {f.name for f in dataclasses.fields(LogRequest)}
    for kind, facts in KINDS.items():
        assert facts.group in ("job", "deal", "network"), kind
        assert set(facts.fields) <= takes, kind
        assert Outcome.CLOSED not in facts.outcomes  # any thread can be closed; it is not a kind's own


def test_the_planner_the_composer_the_outcomes_and_the_form_read_the_table() -> None:
    assert {Kind.INTERVIEW, Kind.PRESENTATION, Kind.CLIENT_MEETING} == ROUND_KINDS
    assert GROUPS[Kind.APPLICATION] == "job" and GROUPS[Kind.CLIENT_MEETING] == "deal"
    assert OUTCOME_KINDS[Outcome.WON] == {Kind.PRESENTATION, Kind.CLIENT_MEETING}
    assert OUTCOME_KINDS[Outcome.CLOSED] == set(Kind)
    assert KIND_FIELDS["help-promised"] == ("promised", "promised_by", "note")
