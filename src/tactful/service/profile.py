"""The user's own details: who signs the messages, and whose calendar counts business days."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..business_days import valid_country, valid_zone
from ..domain import Profile
from ..errors import InvalidInput, ref
from . import validate
from .base import Service


def update_profile(svc: Service, **changes: Any) -> Profile:
    """Change the fields given; None leaves a field as it is, an empty text clears it."""
    values = {k: v for k, v in changes.items() if v is not None}
    if "name" in values:
        values["name"] = validate.name("name", values["name"])  # a name cannot be cleared, only changed
    checks = {"email": validate.email, "phone": validate.phone, "linkedin": validate.url}
    for key, check in checks.items():
        if key in values:
            values[key] = check(key, values[key]) or ""
    if "signature" in values:
        values["signature"] = validate.prose("signature", values["signature"])
    cleared = {k for k, v in values.items() if isinstance(v, str) and not v.strip()}
    values.update(dict.fromkeys(cleared))
    for key in ("tz", "country"):
        if values.get(key):
            values[key] = validate.line(key, values[key])
    if values.get("tz") and not valid_zone(values["tz"]):
        raise InvalidInput(
            f"{ref('tz')}: {values['tz']!r} is not a time zone; use an IANA name like Europe/London",
            field="tz",
        )
    if values.get("country"):
        values["country"] = values["country"].upper()
        if not valid_country(values["country"]):
            raise InvalidInput(
                f"{ref('country')}: {values['country']!r} is not a supported country; use a code like GB or US",
                field="country",
            )
    if "skills" in values:
        values["skills"] = tuple(validate.lines("skills", values["skills"]))
        if len(values["skills"]) > validate.MOST_SKILLS:
            raise InvalidInput(
                f"{ref('skills')}: {len(values['skills']):,} skills is too many; name the "
                f"{validate.MOST_SKILLS} that matter most",
                field="skills",
            )
    profile = replace(svc.profile, **values)
    with svc.store.transaction():
        svc.store.save_profile(profile)
    svc.refresh()
    return profile
