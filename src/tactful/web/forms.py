"""What the forms call each input, so that a page's error names it as the form does.

The Log and Profile templates take their labels from here, and `spell` reads the same tables
when a `TactfulError` names an input: the command line says `--their-tz`, the API `their_tz`,
and a page "Their time zone".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

#: The Log form's inputs, in the words of its labels.
LOG: Mapping[str, str] = {
    "kind": "Kind",
    "people": "With whom",
    "org": "Organisation",
    "email": "Their email",
    "phone": "Their phone",
    "linkedin": "Their LinkedIn profile",
    "their_tz": "Their time zone",
    "prefers": "They prefer",
    "at": "When it happened",
    "time_sensitive": "Time-sensitive",
    "title": "Opportunity",
    "role": "Their role",
    "introduced_by": "Introduced by",
    "promised": "What they promised",
    "promised_by": "Promised by",
    "decision_by": "They will decide by",
    "topics": "Topics you discussed",
    "questions": "Open questions",
    "note": "Note",
    "card": "Plan a handwritten card too",
    "thread_id": "Thread",
    "i_promised": "You promised them",
    "i_promised_by": "You will do it by",
}

#: The Profile form's inputs.
PROFILE: Mapping[str, str] = {
    "name": "Your name",
    "email": "Your email",
    "phone": "Your phone",
    "linkedin": "Your LinkedIn profile",
    "signature": "Signature",
    "skills": "Skills",
    "tz": "Time zone",
    "country": "Country",
    "notes": "Plan a handwritten card after each interview",
    "linkedin_free": "My LinkedIn account is free",
}

#: Inputs of the other actions: marking sent, a reply, an outcome, the composer.
OTHER: Mapping[str, str] = {
    "channel": "Channel",
    "outcome": "Outcome",
    "from": "Who answered",
    "contact": "Contact",
    "text": "The draft",
    "now": "As of",
}


def spell(labels: Mapping[str, str]) -> Callable[[str], str]:
    """How a page names an input: its label on this form, else on another, else its name in words."""

    def label(field: str) -> str:
        for table in (labels, LOG, OTHER, PROFILE):
            if field in table:
                return table[field]
        return field.replace("_", " ").capitalize()

    return label
