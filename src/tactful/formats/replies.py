"""What a reply says, read by rules: a rejection, "not now, check back later", an invitation to a
next step, or just a reply; and when an out-of-office says its writer is back.

Pure and linear: every pattern reads one line of at most `LINE` characters, and only the part the
writer wrote (`mail.latest`). A reading is a proposal shown to the user, never an outcome by itself.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

#: Lines longer than this are read in pieces of this length.
LINE = 400


@dataclass(frozen=True)
class Reading:
    kind: str  # "reply", "rejection", "later" or "invitation"
    until: dt.date | None = None  # "later": the day they asked to hear again
    said: str = ""  # the words that led to the reading, for the user to see


# -- words the patterns share --------------------------------------------------------------------------
#: Someone or something other than the writer's correspondent.
_OTHER = (
    r"(an?other|other|a different|different|some?one( else)?|somebody( else)?|the other|an? (internal|external|"
    r"stronger|more \w+|local|single|preferred)|internal|a candidate|candidates|applicants|a profile|a vendor|a supplier|"
    r"an? (agency|partner|provider|freelancer|contractor|firm|bidder)|otro|otra|einen? anderen?|un autre|une autre)"
)
#: Going on with a candidate, a bid, a proposal: the verbs a "no" negates.
_PROGRESS = (
    r"(mov(e|ing)|go(ing)?|proceed(ing)?|progress(ing)?|pursu(e|ing)|persu(e|ing)|tak(e|ing)|continu(e|ing)|"
    r"advanc(e|ing)|consider(ing)?|offer(ing)?|extend(ing)?|hir(e|ing)|invest(ing)?|engag(e|ing)|partner(ing)?)"
)
#: What they decide about: the candidacy, the bid, the offer.
_CANDIDACY = (
    r"(application|app|candidacy|candidature|cv|resume|profile|submission|proposal|bid|tender|pitch|offer|"
    r"quote|services)"
)
_NOT = r"(not|n'?t|wont|cant|unable to|no longer)"

_REJECTION = re.compile(
    "|".join(
        [
            # they chose someone else: "gone with another candidate", "decided for another solution"
            r"\b(go|goes|gone|going|went|mov(e|ed|ing)|proceed(ing)?|progress(ing)?|pursu(e|ing)|decided( to go)?|opted|"
            r"continu(e|ing)|ended up( going)?|(decided|chosen|chose|opted) to (work|cooperate|partner|collaborate))"
            rf"( (forward|fo[rw]{{1,2}}ard|ahead))? (with|w/?|for) {_OTHER}\b",
            rf"\b(award(ed)?|give|given|gave|offer(ed)?|made an offer|extended an offer|offer (went|has gone))( the \w+| it)? to {_OTHER}",
            r"\b(selected|chosen|chose|choose|picked|hired|appointed|found|engaged|signed( with)?)( a| another| an?other| an)?"
            r" (other )?(candidate|supplier|vendor|agency|partner|person|some?one|somebody|freelancer|contractor|"
            r"provider|firm|solution|applicant)\b",
            r"\bother (candidate|supplier|vendor|agency|partner|applicant)s? (is|was|were|has been|have been) "
            r"(selected|chosen|appointed)",
            r"\bhired (some?one|somebody|another|already)|\b(hire|fill|promote|recruit)\w* (it |the role |the position )?internally",
            # "candidates whose experience more closely matches": a comparison they lost
            r"\b(other )?(candidates|applicants|profiles|bidders)\b.{0,60}?\b(more closely|better|closer|more directly)\b",
            r"\b(stick|stay|sticking|staying) with (our|the) (current|existing|incumbent) ",
            # they will not go on: "will not be progressing your application", "decided against moving ahead"
            rf"\b{_NOT} (be )?(able )?(to )?{_PROGRESS}\b.{{0,30}}?\b({_CANDIDACY}|candidate|forward|fo[rw]{{1,2}}ard|further|"
            r"ahead)\b",
            rf"\bdecided (not to|to not|against) {_PROGRESS}|\b{_NOT} (be )?{_PROGRESS} with (you|your)\b",
            rf"\b{_NOT} (be )?(able to )?(invit(e|ing)|select(ing)?|shortlist(ing)?) you\b",
            rf"\b{_NOT} (be )?(able )?(to )?(offer|extend) you (a|an|the) (position|role|job|place|contract)",
            rf"\b{_NOT} (be )?fill(ing)? (the|this) (role|position|vacancy)",
            r"\b(pursu(e|ing)|progress(ing)?) (other|another|different) (candidates?|applicants?|profiles?|suppliers?)",
            r"\b(position|role|job|vacancy|opening|post|seat|req|requisition)('s( now)?( been)?| is| has( now)? been| was| has| got| "
            r"have been) (now |already |since |just )?(filled|closed|cancell?ed|withdrawn|scrapped|eliminated)\b"
            r"(?! (to|for) (new )?(applications|applicants|submissions))",
            r"\b(filled|closed|cancell?ed|withdrawn|scrapped|pulled) (the|this|that) (position|role|vacancy|opening|req)",
            r"\b(go|going|gone|went|head|heading|take|taking) (in )?(a different|another) (direction|way|route)\b",
            r"\bregret(fully)? to (inform|let you know|say|advise|tell)",
            # their verdict on the candidacy: "your application has been unsuccessful", "profile is not suitable"
            rf"\b({_CANDIDACY}|you)\b.{{0,30}}?\b((was|were|is|are)( not|n'?t)|(has|have)( not|n'?t) been|"
            r"wasnt|isnt|werent|hasnt been|havent been|(did not|didn'?t|didnt) (make|get))"
            r"( been)? (successful|selected|shortlisted|suitable|chosen|progressed|retained|a match|matching)\b",
            rf"\b({_CANDIDACY}|you)\b.{{0,30}}?\b(was|were|has been|have been|is|are) unsuccessful",
            r"\b(your|the) [\w ]{0,30}?\b(is|are|was|were) (not|n'?t) (really |quite |exactly )?"
            r"(a |the right |a good |the best )?(match(ing)?|fit(ting)?|suitable|suited|aligned)\b",
            r"\bnot (a|the right|a good|the best|quite the right|really a) (fit|match)\b",
            r"\b(not|isn'?t|isnt) (really |quite )?(interested|for us|one for us|something we need|what we need)\b",
            r"\bno longer (hiring|considering|looking|recruiting|need)",
            r"\bunable to (offer|extend|move|proceed|take|progress)",
            # they decline: "we'll pass", "I'm going to decline", "take me off your list"
            r"\b(we'?ll|we will|i'?ll|i will|going to|gonna|have to|will have to|decided to|we're going to|must) "
            r"(pass|decline|say no|respectfully decline)\b"
            r"(?! (it|this|them|your|the details|on (your|his|her|their) (details|name|cv|resume|info)))",
            r"^\s*(no,? thanks?|no thank you|not interested)\b|\b(but|and) no thanks\b|\bit'?s a (no|pass)\b(?! for now)",
            r"\b(did not|didn'?t|didnt) (select|choose|shortlist|pick) (you|your)",
            r"\b(have|had) to (say|decline|turn) (no|down|you down)",
            r"\b(isn't|is not|not) something (we|i) (need|want|are looking for)",
            r"\bnot (going to|gonna|planning to|looking to) (take on|bring in|hire|engage|proceed|move|use|buy|sign|invest)",
            r"\b(decided|going|chose|choose|opted) to hold off on (bringing|hiring|engaging|taking|working|buying)",
            r"\bkeep (this|it|the work|things) in-?house",
            r"\b(decline|declining|turn(ing)? down) (your|the|this) (offer|proposal|application|pitch)",
            r"\b(take|remove) (me|us) (off|from) (your|the) (list|mailing list)",
            r"\b(don'?t|do not|no) (need|require) (your|any) (services|help|product|support)",
            # German, French, Spanish
            r"\b(für|fur) (einen?|eine) anderen? \w+ entschieden|\bleider .{0,60}\b(absage|nicht berücksichtigen|"
            r"nicht weiter)|\banders entschieden|\banderweitig (vergeben|besetzt)|\bbereits besetzt",
            r"\bpas (donner )?(une )?suite (favorable )?à|\bn'a pas été retenue?|\bne pas retenir|\bretenu (un|une) autre",
            r"\b(con|a) (otro|otra) (candidat[oa]|proveedor|persona)|\bno (vamos a|podemos|seguiremos|continuaremos) "
            r"(continuar|seguir|avanzar)|\bno (ha sido|has sido|fue) seleccionad",
        ]
    ),
    re.IGNORECASE,
)
#: Still deciding: a sentence with these words is no "no" ("we have not yet made a decision").
_UNDECIDED = re.compile(
    r"\b(yet|no decision|not decided|undecided|still (deciding|reviewing|considering|interviewing|in the running|"
    r"waiting)|under (review|consideration)|pas encore|noch nicht|todav[ií]a)\b",
    re.IGNORECASE,
)

_NUMBER = (
    r"(?P<n>\d{1,2}|an?|one|two|three|four|five|six|eight|nine|ten|twelve|a few|a couple( of)?|few|couple( of)?)"
    r"(?: (?:or|to) (?P<m>\d{1,2}|two|three|four|five|six))?"
)
_UNITS = {"fortnight": 14, "day": 1, "week": 7, "month": 30, "quarter": 91, "year": 365}
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8, "nine": 9,
            "ten": 10, "twelve": 12, "couple of": 2, "few": 3, "a few": 3, "a couple of": 2, "a couple": 2,
            "couple": 2}  # fmt: skip
_MONTH_NAMES = {m: n for n, names in enumerate(
    [("jan", "january", "janaury"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
     ("nov", "november"), ("dec", "december")], start=1) for m in names}  # fmt: skip
MONTHS = {
    **_MONTH_NAMES,
    **{m: n for n, names in enumerate(
        [("januar", "janvier", "enero"), ("februar", "février", "fevrier", "febrero"), ("märz", "maerz", "mars", "marzo"),
         ("avril", "abril"), ("mai", "mayo"), ("juni", "juin", "junio"), ("juli", "juillet", "julio"),
         ("août", "aout", "agosto"), ("septembre", "septiembre", "setiembre"), ("oktober", "octobre", "octubre"),
         ("novembre", "noviembre"), ("dezember", "décembre", "decembre", "diciembre")], start=1) for m in names},
}  # fmt: skip
MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))  # English, German, French, Spanish
#: When they want to hear again, in words: the first of these in a "later" line names the day.
_WHEN = re.compile(
    rf"\b(in|after|about|around|another|for|within)( the)?( next)? {_NUMBER}\s+(?P<unit>days?|weeks?|fortnight|months?|quarter|"
    r"years?)\b"
    r"|\b(?P<npart>beginning of|start of|early|mid-?|middle of|end of|late)?\s*(?P<next>next (week|month|quarter|year))\b"
    rf"|\b(?P<part>beginning of|start of|first week of|early|mid-?|middle of|end of|late)?\s*"
    r"(?<!\bi )(?<!\bwe )(?<!\bit )(?<!\byou )(?<!\bthey )(?<!\bthat )(?<!\bthis )"  # "we may", not May
    rf"(?P<month>{MONTH})\b"
    rf"|\b(?P<dm>\d{{1,2}})(st|nd|rd|th)? (of )?(?P<dmonth>{MONTH})\b"
    r"|\b(?P<qpart>end of |late )?(?P<q>[qh][1-4])\b"
    r"|\b(?P<easter>easter)\b|\b(?P<labor>labou?r day)\b"
    r"|\b(?P<after>after )?(the )?(?P<season>spring|summer|autumn|fall)\b"
    r"|\b(?P<newyear>new year|the holidays|christmas|year[- ]end|end of the year)\b",
    re.IGNORECASE,
)
#: Asking to be written to again: "check back", "ping me", "reach out again", "drop me a line then".
_LATER = re.compile(
    r"\b(check (back|in)|circle back|cirlce back|follow up(?! question)|touch base|reach (out|back)|"
    r"get (back )?in (touch|contact)|get back to (me|us)|come back(?! to (you|u)\b)|write (me|us|again)|"
    r"(ping|nudge|remind) (me|us|again)|contact (me|us|again)|e-?mail (me|us)|"
    r"(try|call|give) (me|us|again)|(drop|shoot|send) (me|us) an? (line|note|email|e-mail|message)|ask (me|us) again|give (me|us) a (shout|call|ring|nudge|buzz|bell)|"
    r"hit (me|us) up|revisit|pick (this|it) (back )?up|re-?connect|(speak|talk|chat|connect) again|re-?apply|"
    r"apply (again|then|when)|resubmit|renewed (submission|application|proposal)|resume|reopen|"
    r"melden sie sich|kommen sie .{0,20}(wieder|erneut)|recontacte[zr]|revenez vers|reprendre contact|"
    r"escr[ií]b\w* de nuevo|vuelve a escribir|cont[aá]cta\w* de nuevo)\b"
    r"|\b(?P<pause>not (right )?now|too early|bad timing|hiring freeze|frozen|freeze|pausing|paused|on hold|"
    r"later in the year|maybe later|down the line|not (the right|a good) (time|moment)|timing (isn'?t|is not) right|"
    r"(wrong|bad) time|not this (quarter|year|month)|"
    r"not ready yet|en pause|ahora mismo no|im moment)\b",
    re.IGNORECASE,
)
#: "I'll check back", "we will come back to you": they will write, nothing to wait for.
_FIRST_PERSON = re.compile(
    r"(?<!can )(?<!could )(?<!shall )(?<!should )\b(i|we|i'?ll|ill|we'?ll|i will|we will|let me|let us)\s*$",
    re.IGNORECASE,
)
#: "we will not be inviting you": the words just before a match that turn it around.
_NEGATED = re.compile(r"\b(not|n't|no longer|unable to)\s+(be\s+)?(able\s+to\s+)?$", re.IGNORECASE)
_DAY = r"(mon|tues?|wed(nes)?|thu(rs)?|fri|sat(ur)?|sun)(day)?"
_INVITATION = re.compile(
    "|".join(
        [
            r"\binvit(e|ing) you|\b(offer|invite) you (an?|to an?) (interview|call|meeting|chat)",
            r"\b(next|second|2nd|third|3rd|final|onsite|on-site|technical|panel) (round|interv\w+|stage|step\b|conversation)",
            r"\b(schedule|set up|arrange|book|organi[sz]e|line up|find)\b.{0,30}\b(time|call|chat|meeting|interv\w+|"
            r"deep-?dive|session|demo|conversation|lunch|coffee|slot)\b",
            r"\b(are|r|would|will) (you|u) (be )?(free|availab\w*|avilable|around|up for|able to (join|meet|come|do))\b"
            r"(?! (from|to start|for (a|the|this) (contract|project|role|position)))",
            r"\b(your|ur|you're|youre) availab\w*|\bwhen (you have|you'?re|are you) (time|free|around|available)",
            r"\b(what|which) (times?|days?|dates?|slots?)( \w+)? (work|suit|would|is (good|suitable|convenient|best)|"
            r"are (good|suitable|convenient|best))",
            r"\bwhen (works|suits|would (work|suit)|is (good|convenient|best)) ",
            r"\b(does|do|would|will|could) [\w-]+( \w+)? (work|suit)\b.{0,20}\?",
            r"\bare any of (these|those) (times|slots|days)",
            r"\b(a good|the best|a convenient) time to (chat|talk|call|meet|speak|connect)",
            r"\b(send|reply with|share|suggest|propose|give me)( me| us| over)?( \w+){0,2} (times|slots|dates|availability|windows)\b",
            r"\b(times?|dates?|slots?|days?) (that )?(suits?|works?) (for )?(you|u)\b",
            r"\b(sent|send|forward)( you)? (an? )?(calendar |meeting |teams |zoom )?invit(e|ation)\b",
            r"\b(hop|jump|get) on (a |an )?(quick )?(call|zoom|teams|video|phone)",
            r"\b(can|could|would|shall) (you|we|u) (do|make|meet|hop on|jump on|chat|talk|join|grab|swing|come|"
            r"push|shift|switch|reschedule|move (it|our \w+|to))\b|\b(we|you) (can|could) (do|make|meet|move) (it|the call|the meeting|\w+day)",
            r"\b(is it possible|any chance|would it be possible)\b.{0,30}?\b(to|we|you) (\w+ )?(make|move|do|meet|"
            r"schedule|reschedule|have|shift|push|switch|talk|chat|call|speak|join|come|attend)\b",
            r"\bhow('?s| is| does| about) (\d{1,2}(:\d\d)? ?(am|pm)?|(mon|tues|wednes|thurs|fri)day|tomorrow|lunch|coffee|next \w+)",
            r"\bshall we say\b|\blet'?s (talk|chat|meet|speak|catch up|find a time|set (up|something)|get (something|a time|you)|"
            r"book|schedule|hop|jump|grab)",
            r"\b(might|would) you be able to (join|meet|come|do)|\bis it possible for you\b",
            r"\b(wants?|would like|'d like|love) to (meet|speak (with|to)|talk (with|to)|interview|see) (you|with you)",
            r"\b(would like|'d like|want) you to (present|come|join|meet|attend|interview|pitch|demo)",
            r"\b(love|like) to (have|get) you (back|in)\b",
            r"\bmeet (with )?(the|our) (team|founders?|manager|director|cto|ceo|head)",
            r"\bmove you (forward|to the next)|\b(through|progressed|moved|selected|shortlisted) (to|for) the "
            r"(next|second|final)",
            r"\b(calendly\.com|cal\.com|savvycal|youcanbook|doodle\.com|zcal\.co|tidycal|meetings\.hubspot)|/book(ings)?/|"
            r"\b(pick|choose|select|grab|book)( \w+)? (a |any )?(time|slot)",
            r"\bcall me\b|\b(swing|drop|pop|come) (by|in|over) (the|our) (office|studio)",
            r"\b(placeholder|invite) (in|to) your (calendar|diary)|\bsomething in the (diary|calendar)",
            r"\b(i'?m|i am|we'?re|we are) (around|free|available) (on )?(next|this|tomorrow|" + _DAY + r")",
            r"\b(free|around|available) (on )?(tomorrow|today|this|next|" + _DAY + r")\b.{0,20}\?",
            r"\b" + _DAY + r"( at)? \d{1,2}( ?(am|pm|o'?clock|h)|:\d\d)",
            r"^\s*" + _DAY + r"\b.{0,12}\?\s*$",
            # German, French, Spanish
            r"\b(einladen|vorstellungsgespräch|kennenlernen|(hätten|haben) sie .{0,30}\bzeit|passt (es )?ihnen)",
            r"\b(entretien|seriez-vous disponible|êtes-vous disponible|vous rencontrer|quel créneau)",
            r"\b(entrevista|te viene bien|le viene bien|estás disponible|está disponible|invitarte|reunirnos)",
        ]
    ),
    re.IGNORECASE,
)


#: The second way to tell a no: a negative and a word about the decision close together in one
#: sentence that asks nothing ("we are not able to offer you the position").
_NEGATIVE = re.compile(  # "not in a hurry", "not a problem" are kind words
    r"\b(not(?! (in a (hurry|rush)|an? (problem|issue)|problem|to worry|sure|forgotten|ignoring|at all))|no longer|won'?t|wont|unable|cannot|can't|couldn't|declin\w*|unsuccessful|instead of you|"
    r"other than you)\b",
    re.IGNORECASE,
)
_DECISION = re.compile(
    r"\b(candida\w*|application|applicant|position|role|vacancy|offer(ing)?|proposal|bid|tender|pitch|"
    r"shortlist\w*|progress\w*|proceed\w*|forward|ahead|further|selected|successful|hire|hiring|"
    r"engagement|partnership|cooperation|collaboration|opportunity|quote)\b",
    re.IGNORECASE,
)


#: They chose someone who has more of something: "candidates with more direct SaaS experience".
_COMPARED = re.compile(
    r"\b(pursu\w*|progress\w*|chose|chosen|select\w*|hired?|hiring|went|gone|going|go|appoint\w*|offer\w*|decided)\b"
    r".{0,30}?\b(candidates?|applicants?|profiles?|some?one|somebody|people|another \w+)\b (with|whose|who)\b.{0,40}?"
    r"\b(more|better|closer|stronger|greater|deeper)\b",
    re.IGNORECASE,
)


def _declines(sentence: str) -> re.Match[str] | None:
    if "?" in sentence or _INVITATION.search(sentence) or re.search(r"\b(if|whether)\b", sentence, re.I):
        return None
    compared = _COMPARED.search(sentence)
    if compared:
        return compared
    negative = _NEGATIVE.search(sentence)
    if negative is None:
        return None
    decision = _DECISION.search(sentence, negative.end(), negative.end() + 50)
    return negative if decision else None


def _sentences(lines: list[str]) -> list[str]:
    return [s for line in lines for s in re.split(r"(?<=[.!?])\s+", line) if s.strip()]


def read(text: str, at: dt.datetime) -> Reading:
    """Read `text` (what they wrote, quotes and signature cut) of a reply that came `at`."""
    lines = [piece for line in text.splitlines() for piece in _pieces(line)]
    sentences = [s for s in _sentences(lines) if not _UNDECIDED.search(s)]
    for sentence in sentences:
        found = _REJECTION.search(sentence)
        if found:
            return Reading("rejection", said=_around(sentence, found))
    later = [
        (line, found, _until(line, found, at))
        for line in lines
        for found in _LATER.finditer(line)
        if not _FIRST_PERSON.search(line[max(0, found.start() - 16) : found.start()])
    ]
    later = [  # a pause in a line that proposes a time is no "later" ("not this week, but Thursday?")
        (li, f, day)
        for li, f, day in later
        if (day is not None and not f.group("pause")) or (f.group("pause") and not _INVITATION.search(li))
    ]
    if later:  # the first that names when, else the first
        line, found, day = next(((li, f, d) for li, f, d in later if d), later[0])
        return Reading("later", until=day, said=_around(line, found))
    for sentence in sentences:  # a no in other words, once no later day is asked for
        found = _declines(sentence)
        if found:
            return Reading("rejection", said=_around(sentence, found))
    for line in lines:
        for found in _INVITATION.finditer(line):
            if not _NEGATED.search(line[max(0, found.start() - 24) : found.start()]):
                return Reading("invitation", said=_around(line, found))
    return Reading("reply")


def _pieces(line: str) -> list[str]:
    return [line[i : i + LINE] for i in range(0, max(len(line), 1), LINE)]


def _around(line: str, found: re.Match[str]) -> str:
    start, end = max(0, found.start() - 60), min(len(line), found.end() + 60)
    return ("…" if start else "") + line[start:end].strip() + ("…" if end < len(line) else "")


def _until(line: str, said: re.Match[str], at: dt.datetime) -> dt.date | None:
    """The day a "later" line asks to hear again, counted from `at`: the first time it names after
    the words that ask (`said`), else the last before them ("…until July; email me then")."""
    after = list(_WHEN.finditer(line, said.start()))
    before = [m for m in _WHEN.finditer(line, 0, said.start())]
    found = after[0] if after else before[-1] if before else None
    return None if found is None else _when(found, at.date())


def _when(found: re.Match[str], day: dt.date) -> dt.date | None:
    """The day a `_WHEN` match names, seen from `day`."""
    if found.group("unit"):
        counts = [_count(found.group(g)) for g in ("n", "m") if found.group(g)]
        unit = found.group("unit").lower()
        days = sum(counts) / len(counts) * _UNITS[unit.rstrip("s")]
        return day + dt.timedelta(days=round(days))
    if found.group("next"):
        unit = found.group("next").lower().split()[-1]
        if unit == "week":
            return day + dt.timedelta(days=7 - day.weekday())  # next Monday
        if unit == "month":
            return _part(_month_start(day, (day.month % 12) + 1), found.group("npart"))
        if unit == "year":
            return _month_start(day, 1)
        return day + dt.timedelta(days=91)
    if found.group("month"):
        return _part(_month_start(day, MONTHS[found.group("month").lower()]), found.group("part"))
    if found.group("dm"):
        try:
            given = dt.date(day.year, MONTHS[found.group("dmonth").lower()], int(found.group("dm")))
        except ValueError:
            return None
        return given if given >= day else given.replace(year=day.year + 1)
    if found.group("q"):
        month = {"q1": 1, "q2": 4, "q3": 7, "q4": 10, "h1": 1, "h2": 7}[found.group("q").lower()]
        if found.group("qpart"):  # "end of Q2": when the next one starts
            month = month % 12 + (6 if found.group("q").lower().startswith("h") else 3)
        return _month_start(day, month)
    if found.group("easter"):  # Easter Monday
        easter = _easter(day.year) if _easter(day.year) >= day else _easter(day.year + 1)
        return easter + dt.timedelta(days=1)
    if found.group("labor"):  # the day after the first Monday of September
        first = _month_start(day, 9) if day.month != 9 else dt.date(day.year, 9, 1)
        return first + dt.timedelta(days=(7 - first.weekday()) % 7 + 1)
    if found.group("season"):
        seasons = {"spring": (3, 20), "summer": (6, 21), "autumn": (9, 22), "fall": (9, 22)}
        month, date = seasons[found.group("season").lower()]
        if found.group("after"):
            month, date = {3: (6, 1), 6: (9, 1), 9: (12, 1)}[month]
        start = dt.date(day.year, month, date)
        return start if start >= day else start.replace(year=day.year + 1)
    if found.group("newyear"):
        return _month_start(day, 1)
    return None


def _count(word: str) -> int:
    word = word.lower()
    return int(word) if word.isdigit() else _NUMBERS.get(word, 1)


def _part(first: dt.date, part: str | None) -> dt.date:
    """A part of the month that starts on `first`: "mid-" is the 15th, "end of" its last days."""
    part = (part or "").lower()
    if part.startswith("mid"):
        return first.replace(day=15)
    if part in ("end of", "late"):
        return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return first


def _month_start(day: dt.date, month: int) -> dt.date:
    """The first working day of the next `month` to come after `day` (in January, the first Monday
    after New Year's Day)."""
    year = day.year if month > day.month else day.year + 1
    first = dt.date(year, month, 2 if month == 1 else 1)
    if month == 1:
        return first + dt.timedelta(days=(7 - first.weekday()) % 7)
    return first + dt.timedelta(days=(7 - first.weekday()) % 7 if first.weekday() >= 5 else 0)


def _easter(year: int) -> dt.date:
    """Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - b // 4 - g + 15) % 30
    weekday = (32 + 2 * (b % 4) + 2 * (c // 4) - h - c % 4) % 7
    shift = h + weekday - 7 * ((a + 11 * h + 22 * weekday) // 451) + 114
    return dt.date(year, shift // 31, shift % 31 + 1)
