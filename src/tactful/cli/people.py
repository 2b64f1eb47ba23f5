"""`tactful profile`: the user's own details, shown and changed; `tactful contacts`: finding people;
`tactful tag` and `tactful untag`: grouping them."""

from __future__ import annotations

from typing import Any

import click

from .base import App, command, emit, json_option, pass_app


@command()
@click.option("--name", help="Your name, as you sign messages.")
@click.option("--email", help="Your email address.")
@click.option("--phone", help="Your phone number.")
@click.option("--linkedin", help="Your LinkedIn profile URL.")
@click.option("--signature", help="The signature under your messages.")
@click.option("--tz", help="Your time zone, e.g. Europe/London (default: the system's).")
@click.option("--country", help="Your country code for public holidays, e.g. GB, US, DE.")
@click.option("--skills", help="Your skills, comma-separated, for drafts.")
@click.option("--notes/--no-notes", default=None, help="Plan a handwritten card after each interview.")
@click.option(
    "--linkedin-free/--linkedin-premium", default=None, help="A free LinkedIn account (200-character notes)."
)
@json_option
@pass_app
def profile(app: App, /, as_json: bool, skills: str | None, **fields: Any) -> None:
    """Your own details: used in drafts and in the business-day calendar."""
    from ..service.profile import update_profile
    from ..service.shapes import profile_dict

    if skills is not None:
        fields["skills"] = skills.split(",")
    service = app.service
    if any(v is not None for v in fields.values()):
        update_profile(service, **fields)
    data = profile_dict(service)
    if as_json:
        emit(data)
    else:
        from .render import show_profile

        show_profile(data)


@command()
@click.argument("words", nargs=-1, metavar="[QUERY]")
@json_option
@pass_app
def contacts(app: App, /, words: tuple[str, ...], as_json: bool) -> None:
    """The people you know, most recent first; with QUERY, those whose names, e-mail address or
    organisation begin with its words (case and accents ignored): `tactful contacts zoe`."""
    from ..service.people import find
    from ..service.shapes import contacts_dict

    query = " ".join(words) or None
    service = app.service
    found = find(service, query)
    if as_json:
        emit(contacts_dict(found, service.zone))
        return
    from .render import show_contacts

    show_contacts(found, service.zone, query)


def _tags(app: App, who: str, add: tuple[str, ...], remove: tuple[str, ...], as_json: bool) -> None:
    from ..service.people import retag

    person, tags = retag(app.service, who, add, remove)
    if as_json:
        emit({"contact_id": person.id, "name": person.name, "tags": tags})
    else:
        click.echo(f"{person.name}: {', '.join(tags) if tags else 'no tags'}.")


@command(spells={"contact": "NAME"})
@click.argument("who", metavar="NAME|#ID")
@click.argument("tags", nargs=-1, required=True, metavar="TAG...")
@json_option
@pass_app
def tag(app: App, /, who: str, tags: tuple[str, ...], as_json: bool) -> None:
    """Put tags on a person ("mentor", "recruiter"...), to group them and keep in touch by group."""
    _tags(app, who, tags, (), as_json)


@command(spells={"contact": "NAME"})
@click.argument("who", metavar="NAME|#ID")
@click.argument("tags", nargs=-1, required=True, metavar="TAG...")
@json_option
@pass_app
def untag(app: App, /, who: str, tags: tuple[str, ...], as_json: bool) -> None:
    """Take tags off a person."""
    _tags(app, who, (), tags, as_json)


@command("keep-in-touch", spells={"contact": "NAME"})
@click.argument("who", metavar="NAME|#ID", required=False)
@click.option("--tag", help="Everyone with this tag, instead of one person.")
@click.option("--every", metavar="DURATION", help="The ideal gap: 10d, 2w, 2m, 1y.")
@click.option("--at-most", metavar="DURATION", help="Past this, they are losing touch (default: --every).")
@click.option("--off", is_flag=True, help="Stop keeping count.")
@json_option
@pass_app
def keep_in_touch(
    app: App,
    /,
    who: str | None,
    tag: str | None,
    every: str | None,
    at_most: str | None,
    off: bool,
    as_json: bool,
) -> None:
    """Keep in touch with a person, or everyone with a tag: any contact resets the clock; past
    --at-most they are on the agenda's Losing touch list."""
    from ..service.keep_in_touch import keep_in_touch as set_cadence

    c = set_cadence(app.service, who, tag, every, at_most, off)
    if as_json:
        emit({"contact_id": c.contact_id, "tag": c.tag, "every": c.every, "at_most": c.at_most})
    elif c.every is None:
        click.echo("No longer keeping count.")
    else:
        whom = f"everyone tagged {c.tag}" if c.tag else (who or "them")
        click.echo(f"Keeping in touch with {whom}: every {c.every}, at most {c.at_most}.")


COMMANDS = (profile, contacts, tag, untag, keep_in_touch)
