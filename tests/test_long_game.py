"""The long game on a clock the test moves: keep-in-touch check-ins, the note that closes the loop
with an introducer, and the user's own promises."""

from __future__ import annotations

from typing import Any

import pytest

from tactful.domain import Channel, Purpose, Status
from tactful.errors import InvalidInput
from tactful.service import drafting, followups, reading
from tactful.service.keep_in_touch import keep_in_touch
from tactful.service.people import retag
from tests.conftest import World, local

#: On PostgreSQL too, when the suite runs there (tests/postgres.py).
pytestmark = pytest.mark.both_stores


def planned(world: World, purpose: Purpose, name: str | None = None) -> list[Any]:
    found = [
        f
        for f in world.store.planned_until(None)
        if f.purpose is purpose and (name is None or world.store.get_contact(f.contact_id).name == name)
    ]
    return found


def mentor(world: World, name: str, email: str | None = "x@guild.example", **fields: Any) -> int:
    """Met on 2 March; the reconnect sent the next morning."""
    logged = world.log(
        "meeting", name, org="Guild", email=email, at="2026-03-02 10:00", topics=["data contracts"], **fields
    )
    (reconnect,) = logged.change.added
    world.clock("2026-03-03 09:30")
    world.done(reconnect.id, "2026-03-03 09:30")
    return reconnect.contact_id


# -- keep in touch -----------------------------------------------------------------------------------


def test_a_check_in_is_planned_when_the_cadence_comes_round_and_any_contact_moves_it(world: World) -> None:
    mentor(world, "Priya Natarajan")
    assert planned(world, Purpose.KEEP_IN_TOUCH) == []  # no cadence, no check-in
    retag(world.service, "Priya Natarajan", ["mentor"])
    keep_in_touch(world.service, tag="mentor", every="2m", at_most="4m")
    (check,) = planned(world, Purpose.KEEP_IN_TOUCH)
    assert check.rule == "keep-in-touch.check-in" and not check.nudge
    assert local(check.not_before) == "2026-05-04 00:00:00"  # 3 May is a Sunday: the next business day
    assert "every 2 months" in check.why
    # A coffee on 20 April: the clock starts again from it.
    world.clock("2026-04-20 18:00")
    logged = world.log("meeting", "Priya Natarajan", org="Guild", at="2026-04-20 08:00")
    assert world.store.get_followup(check.id).status is Status.CANCELLED
    assert planned(world, Purpose.KEEP_IN_TOUCH) == []  # while the reconnect waits, no check-in beside it
    (reconnect,) = [f for f in logged.change.added if f.purpose is Purpose.RECONNECT]
    world.done(reconnect.id, "2026-04-21 10:00")
    (again,) = planned(world, Purpose.KEEP_IN_TOUCH)
    assert local(again.not_before) == "2026-06-22 00:00:00"  # 21 June is a Sunday


def test_their_reply_resets_the_clock_and_turning_the_cadence_off_drops_the_check_in(world: World) -> None:
    mentor(world, "Sam Lee")
    keep_in_touch(world.service, who="Sam Lee", every="1m")
    (check,) = planned(world, Purpose.KEEP_IN_TOUCH)
    assert local(check.not_before) == "2026-04-03 00:00:00"
    world.clock("2026-03-20 12:00")
    followups.reply(world.service, "Sam Lee", at="2026-03-20 11:00")
    (moved,) = planned(world, Purpose.KEEP_IN_TOUCH)
    assert local(moved.not_before) == "2026-04-20 00:00:00"
    keep_in_touch(world.service, who="Sam Lee", off=True)
    assert planned(world, Purpose.KEEP_IN_TOUCH) == []


def test_a_skipped_check_in_waits_for_the_next_contact(world: World) -> None:
    mentor(world, "Ada Okafor")
    keep_in_touch(world.service, who="Ada Okafor", every="2w")
    (check,) = planned(world, Purpose.KEEP_IN_TOUCH)
    world.clock("2026-03-18 09:00")
    world.skip(check.id)
    assert planned(world, Purpose.KEEP_IN_TOUCH) == []
    retag(world.service, "Ada Okafor", ["friend"])  # touching her again plans nothing new
    assert planned(world, Purpose.KEEP_IN_TOUCH) == []
    world.log("call", "Ada Okafor", org="Guild", at="2026-03-18 08:00")
    recap = planned(world, Purpose.RECAP)[0]
    world.done(recap.id, "2026-03-18 10:00")
    (next_one,) = planned(world, Purpose.KEEP_IN_TOUCH)
    assert local(next_one.not_before) == "2026-04-01 00:00:00"


def test_the_check_in_goes_the_way_they_can_be_reached_and_keeps_the_spacing(world: World) -> None:
    mentor(world, "Ines Duarte", email=None, linkedin="https://www.linkedin.com/in/ines")
    # A check-in nudge to her in another thread, sent on 30 April.
    world.clock("2026-04-27 09:00")
    applied = world.log("application", "Ines Duarte", org="Guild", title="Analyst", at="2026-04-27 09:00")
    check_in = next(f for f in applied.change.added if f.nudge)
    world.done(check_in.id, "2026-04-30 10:00", channel="email")
    keep_in_touch(world.service, who="Ines Duarte", every="2m")
    (check,) = planned(world, Purpose.KEEP_IN_TOUCH)
    assert check.channel is Channel.LINKEDIN  # no e-mail known for her
    # The cadence comes round on 30 June, well clear of the April nudge; spacing holds by construction
    # of the guards, and one channel at a time: two business days from the e-mail at least.
    assert local(check.not_before) >= "2026-06-30"


def test_the_keep_in_touch_draft_asks_for_nothing_and_says_what_only_the_user_can_add(world: World) -> None:
    mentor(world, "Priya Natarajan")
    keep_in_touch(world.service, who="Priya Natarajan", every="2m")
    (check,) = planned(world, Purpose.KEEP_IN_TOUCH)
    world.clock("2026-05-04 10:00")
    result = drafting.draft(world.service, check.id)
    body = result.composed.body
    assert "Priya" in body and ("data contracts" in body or "Guild" in body)
    assert "?" in body  # how they are: a question, but no favour
    assert result.review.verdict == "ready", result.review.findings
    assert any("asks them for nothing" in p for p in result.composed.prompts)
    favour = body.replace("Best", "Could you refer me for the analyst role on your team?\n\nBest", 1)
    review = drafting.check(world.service, favour, followup_id=check.id).review
    assert "pitch" in {f.code for f in review.findings}


# -- close the loop with the introducer --------------------------------------------------------------


def introduced(world: World) -> Any:
    world.clock("2026-03-02 12:00")
    return world.log(
        "introduction", "Eli Marsh", org="Delta", email="eli@delta.example", introduced_by="Dana Kim",
        at="2026-03-02 09:00", topics=["platform hiring"],
    )  # fmt: skip


def test_their_first_reply_plans_one_note_to_the_introducer(world: World) -> None:
    introduced(world)
    assert planned(world, Purpose.CLOSE_THE_LOOP) == []
    world.clock("2026-03-04 12:00")
    change = followups.reply(world.service, "Eli Marsh", at="2026-03-04 11:00")
    (note,) = planned(world, Purpose.CLOSE_THE_LOOP)
    assert note.id in [f.id for f in change.added]
    assert world.store.get_contact(note.contact_id).name == "Dana Kim"
    assert note.rule == "introduction.close-the-loop" and "Eli Marsh" in note.why
    assert local(note.due_by) == "2026-03-09 23:59:59"  # three business days after the reply
    followups.reply(world.service, "Eli Marsh", at="2026-03-04 11:30")  # a second reply: still one
    world.log("call", "Eli Marsh", org="Delta", at="2026-03-05 10:00")  # and a call afterwards
    assert len(planned(world, Purpose.CLOSE_THE_LOOP)) == 1


def test_a_first_meeting_closes_the_loop_too(world: World) -> None:
    introduced(world)
    world.clock("2026-03-06 12:00")
    world.log("call", "Eli Marsh", org="Delta", at="2026-03-06 10:00")
    (note,) = planned(world, Purpose.CLOSE_THE_LOOP)
    world.clock("2026-03-06 14:00")
    result = drafting.draft(world.service, note.id)
    body = result.composed.body
    assert "Eli" in body and ("introduc" in body.lower() or "in touch" in body)
    # Dana's address is not known: that is the only thing to fix.
    assert {f.code for f in result.review.findings if f.severity.value != "tip"} == {"no-address"}
    assert any("how it went" in p for p in result.composed.prompts)


def test_someone_never_introduced_closes_no_loop(world: World) -> None:
    mentor(world, "Priya Natarajan")
    followups.reply(world.service, "Priya Natarajan", at="2026-03-04 11:00")
    assert planned(world, Purpose.CLOSE_THE_LOOP) == []


# -- promises of the user's own ---------------------------------------------------------------------


def test_a_promise_is_a_task_the_nudge_waits_for_and_the_next_message_says_it_was_kept(world: World) -> None:
    world.clock("2026-03-02 12:00")
    logged = world.log(
        "interview", "Priya Natarajan", org="Acme", email="priya@acme.example", title="Data Engineer",
        at="2026-03-02 10:00", topics=["streaming"], i_promised="send them my portfolio", i_promised_by="2026-03-09",
    )  # fmt: skip
    (promise,) = [f for f in logged.change.added if f.purpose is Purpose.PROMISE]
    assert promise.promise == "send them my portfolio"
    assert local(promise.due_by) == "2026-03-09 23:59:59"
    thanks = next(f for f in logged.change.added if f.purpose is Purpose.THANK_YOU)
    world.done(thanks.id, "2026-03-02 15:00")
    # The check-in opens on 5 March, but waits while the promise is open.
    shown = {i.followup.id: i.followup for i in reading.agenda(world.service, "2026-03-06 12:00", 30).items}
    check = next(f for f in shown.values() if f.purpose is Purpose.CHECK_IN)
    assert check.state(world.service.moment("2026-03-06 12:00", "now")).value == "waiting"
    assert "send them my portfolio" in check.why
    with pytest.raises(InvalidInput, match="promise of yours"):
        drafting.draft(world.service, promise.id)
    # The calendar feed shows it waiting too: it starts no sooner than the promise is due.
    import icalendar

    from tactful.service.transfer import export_ics

    world.clock("2026-03-06 12:00")
    feed = icalendar.Calendar.from_ical(export_ics(world.service, everything=True)[0])
    starts = [
        e.decoded("dtstart")
        for e in feed.walk("VEVENT")
        if str(e.get("uid")) == f"followup-{check.id}@tactful"
    ]
    assert starts and all(local(s) >= "2026-03-09" for s in starts), starts
    world.clock("2026-03-06 12:00")
    world.done(promise.id, "2026-03-06 11:00")
    shown = {i.followup.id: i.followup for i in reading.agenda(world.service, "2026-03-06 12:00", 30).items}
    assert shown[check.id].state(world.service.now()).value == "due"
    body = drafting.draft(world.service, check.id).composed.body
    assert "As promised, I sent you my portfolio." in body
    call = drafting.draft(world.service, check.id, channel="phone").composed
    assert call.voicemail is not None
    said = call.voicemail.split(". ")
    assert any(x.startswith("As promised") for x in said[:3]), call.voicemail  # early, not after the goodbye
    assert "\u201csend them my portfolio\u201d" in call.body  # the points quote it, as the user wrote it
    world.done(check.id, "2026-03-06 12:30")
    later = world.log(
        "interview", "Priya Natarajan", org="Acme", title="Data Engineer", at="2026-03-16 10:00"
    )
    again = next(f for f in later.change.added if f.purpose is Purpose.THANK_YOU)
    world.clock("2026-03-16 12:00")
    assert "As promised" not in drafting.draft(world.service, again.id).composed.body  # said once


def test_a_promise_by_date_needs_a_promise_and_a_date_after_the_meeting(world: World) -> None:
    with pytest.raises(InvalidInput, match="i_promised"):
        world.log("meeting", "Sam Lee", at="2026-03-02 10:00", i_promised_by="friday")
    with pytest.raises(InvalidInput, match="before"):
        world.log(
            "meeting", "Sam Lee", at="2026-03-02 10:00", i_promised="an intro", i_promised_by="2026-02-01"
        )
    assert world.store.count_contacts() == 0  # refused whole


def test_the_cli_offers_tags_after_a_meeting_and_takes_a_promise(run: Any, run_json: Any) -> None:
    from tests.test_cli import setup

    setup(run)
    shown = run(
        "log", "meeting", "--with", "Sam Lee", "--at", "2026-03-02 10:00", "--i-promised", "share the article"
    )
    assert shown.exit_code == 0, shown.stderr
    assert "tactful tag '#1' network" in shown.stdout and "your promise" in shown.stdout
    run_json("tag", "Sam Lee", "mentor")
    again = run("log", "call", "--with", "Sam Lee", "--at", "2026-03-03 10:00")
    assert "tactful tag" not in again.stdout  # tagged already
    bad = run("log", "meeting", "--with", "Ada Okafor", "--by", "friday")
    assert bad.exit_code == 1 and "--i-promised" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


# -- on the web ---------------------------------------------------------------------------------------


def test_the_person_page_tags_them_sets_a_cadence_and_logs_a_promise(tmp_path: Any) -> None:
    from tests.test_web import make

    web = make(tmp_path)
    logged = web.post(
        "/log",
        {"kind": "meeting", "people": "Ada Okafor", "email": "ada@guild.example", "at": "2026-03-02 10:00",
         "i_promised": "send the reading list", "i_promised_by": "2026-03-06"},
    )  # fmt: skip
    assert logged.status_code in (200, 303), logged.text
    page = web.get("/contacts/1")
    assert "none yet" in page.text and "+ network" in page.text  # tags worth offering
    assert web.post("/contacts/1/tags", {"tags": "mentor, friend"}).status_code in (200, 303)
    page = web.get("/contacts/1")
    assert "mentor" in page.text and "friend" in page.text and "none yet" not in page.text
    web.post("/contacts/1/untag", {"tag": "friend"})
    assert "friend" not in web.get("/contacts/1").text
    assert web.post("/contacts/1/keep-in-touch", {"every": "2m", "at_most": "4m"}).status_code in (200, 303)
    today = web.get("/")
    assert "Your promise" in today.text and "send the reading list" in today.text
    bad = web.post("/contacts/1/keep-in-touch", {"every": "often"})
    assert bad.status_code in (400, 422) and "is not a duration" in bad.text
    api = web.client.get("/api/v1/agenda", params={"all": "true"}).json()
    assert {i["purpose"] for i in api["items"]} >= {"promise", "reconnect"}


def test_a_cadence_for_a_whole_tag_spreads_the_check_ins_over_the_days(world: World) -> None:
    """Five mentors last seen months ago: no more than three check-ins open on one day."""
    names = ["Ana Souza", "Ben Ode", "Cy Park", "Dee Lang", "Eve Moss"]
    for name in names:
        world.log("meeting", name, org="Guild", email="x@guild.example", at="2026-03-02 10:00")
    for f in world.store.planned_until(None):
        world.skip(f.id)  # the reconnects passed on: no contact since March
        retag(world.service, f"#{f.contact_id}", ["mentor"])
    world.clock("2026-07-01 09:00")  # a Wednesday
    keep_in_touch(world.service, tag="mentor", every="2m", at_most="6m")
    opens = sorted(local(f.not_before)[:10] for f in planned(world, Purpose.KEEP_IN_TOUCH))
    assert opens == ["2026-07-01"] * 3 + ["2026-07-02"] * 2


def test_a_message_the_mailbox_matched_starts_the_clock_again(world: World) -> None:
    import datetime as dt

    from tactful.domain import SeenMail

    contact_id = mentor(world, "Priya Natarajan")
    keep_in_touch(world.service, who="Priya Natarajan", every="1m")
    (check,) = planned(world, Purpose.KEEP_IN_TOUCH)
    assert local(check.not_before) == "2026-04-03 00:00:00"
    at = dt.datetime(2026, 3, 20, 15, tzinfo=dt.UTC)
    with world.store.transaction():
        world.store.add_mail(SeenMail("<a@x>", "received", at, contact_id, check.thread_id, "reply"), at)
    (row,) = world.store.cadenced([contact_id])
    assert dt.datetime.fromisoformat(row[4]) == at
    from tactful.service.keep_in_touch import refresh

    with world.store.transaction():
        (moved,) = refresh(world.service, [contact_id])
    assert local(moved.not_before) == "2026-04-20 00:00:00"


def test_a_promise_made_while_writing_goes_on_the_agenda_from_the_compose_page(tmp_path: Any) -> None:
    from tests.test_web import make

    web = make(tmp_path)
    web.post(
        "/log",
        {"kind": "meeting", "people": "Ada Okafor", "email": "ada@guild.example", "at": "2026-03-02 10:00"},
    )
    page = web.get("/compose/1")
    assert "Promising them something in this message?" in page.text
    done = web.post(
        "/compose/1/promise", {"i_promised": "send the reading list", "i_promised_by": "2026-03-06"}
    )
    assert done.status_code in (200, 303)
    agenda = web.client.get("/api/v1/agenda", params={"all": "true"}).json()
    (kept,) = [i for i in agenda["items"] if i["purpose"] == "promise"]
    assert kept["contact"]["name"] == "Ada Okafor" and "send the reading list" in kept["why"]
    assert kept["due_by"].startswith("2026-03-06T23:59:59")
    empty = web.post("/compose/1/promise", {"i_promised": "  "})
    assert empty.status_code in (400, 422) and "say what you promised" in empty.text
    later = web.client.get("/api/v1/agenda", params={"all": "true"}).json()
    assert [i["purpose"] for i in later["items"]].count("promise") == 1  # refused whole
