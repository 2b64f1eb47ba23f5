"""The pages: Today, Threads, a thread, a contact, Log, Profile, and the welcome for a first visit.

Each handler calls one use case of the service and renders a template. Actions are plain HTML forms
that work without JavaScript (POST, then a redirect); htmx, when present, swaps fragments instead.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..domain import KINDS, Kind, State
from ..errors import NotFound, TactfulError
from ..service import corrections, followups, people, reading
from ..service.followups import LogRequest
from ..service.lookup import is_id
from ..service.profile import update_profile
from . import auth, forms
from .deps import Svc, in_sample, is_htmx, number, render, request_cache, sample_service
from .svg import timeline

router = APIRouter(dependencies=[Depends(auth.require_csrf)], include_in_schema=False)

#: The fields of the Log form each kind uses, beyond who, where and when.
KIND_FIELDS: dict[str, tuple[str, ...]] = {kind.value: facts.fields for kind, facts in KINDS.items()}


def back(to: str) -> RedirectResponse:
    return RedirectResponse(to, status_code=303)


def done_then(svc: Any, to: str, planned: int | None = None, moved: str | None = None) -> RedirectResponse:
    """Back to `to`, where the page offers to undo the change just made ("Done · Undo"); after a
    log, it says how many follow-ups were `planned`; after a correction, what `moved`."""
    from urllib.parse import urlencode

    last = corrections.last_change(svc)
    if last is None:
        return back(to)
    path, _, anchor = to.partition("#")
    query = {"did": str(last[0])}
    if planned is not None:
        query["planned"] = str(planned)
    if moved:
        query["moved"] = moved[:1000]
    return back(f"{path}{'&' if '?' in path else '?'}{urlencode(query)}{'#' + anchor if anchor else ''}")


@router.get("/", response_class=HTMLResponse)
def today(request: Request, svc: Svc) -> Response:
    """Today, kept between visits until the data changes or the minute turns (see `cache.Cache`)."""

    sampling = in_sample(request)
    steps = {"profile": bool(svc.profile.name), "sample": bool(request.session.get("sample_seen"))}
    worker = getattr(request.app.state, "mail_worker", None)
    mail_error = worker.last_error if worker is not None and not sampling else None

    def build() -> bytes:
        agenda = reading.agenda(svc, None, 7, False)
        empty = reading.is_empty(svc)
        if not agenda.items and not agenda.proposals and empty and not sampling:
            return bytes(render(request, svc, "welcome.html", steps={**steps, "logged": False}).body)
        groups: dict[str, list[Any]] = {"overdue": [], "due": [], "waiting": []}
        for item in agenda.items:
            groups[item.followup.state(agenda.now).value].append(item)
        starting = None if sampling or steps["profile"] else {**steps, "logged": not empty}
        news = reading.mail_news(svc, agenda.proposals)
        page = render(
            request,
            svc,
            "today.html",
            agenda=agenda,
            groups=groups,
            State=State,
            steps=starting,
            news=news,
            mail_error=mail_error,
        )
        return bytes(page.body)

    if "did" in request.query_params or "undone" in request.query_params:
        return HTMLResponse(build())  # says what was just done: not for keeping
    cache = request_cache(request)
    key = ("today", auth.csrf_token(request), steps["profile"], steps["sample"], mail_error)
    return HTMLResponse(cache.answer(key, reading.data_version(svc), svc.now(), build))


@router.post("/sample")
def sample(request: Request) -> Response:
    """Look around a sample history, in a database of its own: the user's stays as it is. (Not on a
    team server, whose visitors are each someone's account.)"""
    if request.app.state.cache.team is not None:
        raise NotFound("a team server has no sample history; log what happened instead")
    request.session["sample"] = request.session["sample_seen"] = True
    with sample_service(request.app.state):
        pass  # loaded now, on the way to it
    return back("/")


@router.post("/sample/leave")
def leave_sample(request: Request) -> Response:
    request.session.pop("sample", None)
    return back("/")


@router.get("/threads", response_class=HTMLResponse)
def threads(request: Request, svc: Svc) -> Response:
    return render(request, svc, "threads.html", board=reading.board(svc))


@router.get("/threads/{thread_id}", response_class=HTMLResponse)
def thread(request: Request, thread_id: int, svc: Svc) -> Response:
    history = reading.history(svc, thread_id)
    svg = timeline(history, svc.now(), svc.zone)
    return render(request, svc, "thread.html", h=history, svg=svg, mail=reading.thread_mail(svc, thread_id))


@router.get("/contacts", response_class=HTMLResponse)
def contacts(request: Request, svc: Svc, q: str | None = None) -> Response:
    found = people.find(svc, q)
    return render(request, svc, "contacts.html", found=found, query=(q or "").strip())


@router.get("/contacts/{contact_id}", response_class=HTMLResponse)
def contact(request: Request, contact_id: int, svc: Svc) -> Response:
    try:
        person = reading.contact(svc, f"#{contact_id}")
    except TactfulError:
        raise NotFound(f"there is no person #{contact_id}") from None
    histories = reading.contact_threads(svc, person)
    tz = svc.zone
    svgs = {h.thread.id: timeline(h, svc.now(), tz) for h in histories}
    more = reading.addresses(svc, person)
    tags = reading.tags(svc, person)
    return render(
        request, svc, "contact.html", person=person, histories=histories, svgs=svgs, addresses=more, tags=tags
    )


@router.get("/log", response_class=HTMLResponse)
def log_form(request: Request, svc: Svc, kind: str = "interview") -> Response:
    """The Log form; changing its kind keeps what was typed (the fields come back filled in)."""
    kind = kind if kind in KIND_FIELDS else "interview"
    page = "_log_fields.html" if is_htmx(request) else "log.html"
    values = {k: v for k, v in request.query_params.items() if k not in ("kind", "csrf")}
    return _log_page(request, svc, page, kind, values)


def _log_page(
    request: Request, svc: Any, page: str, kind: str, values: dict[str, str], **extra: Any
) -> Response:
    open_threads = [t for stage in ("active", "waiting", "dormant") for t in reading.board(svc)[stage][1]]
    return render(
        request,
        svc,
        page,
        extra.pop("status", 200),
        kind=kind,
        kinds=[k.value for k in Kind],
        fields=KIND_FIELDS[kind],
        values=values,
        open_threads=sorted(open_threads, key=lambda t: -t.id),
        **extra,
    )


def _lines(value: str) -> list[str]:
    return [part.strip() for part in value.replace(";", "\n").splitlines() if part.strip()]


@router.post("/log")
def log_submit(request: Request, svc: Svc) -> Response:
    form = {k: v for k, v in auth.form(request).items() if isinstance(v, str)}
    values = {k: v.strip() for k, v in form.items() if k != "csrf"}
    kind = values.get("kind", "interview")
    try:
        logged = followups.log(
            svc,
            LogRequest(
                kind=kind,
                people=[n.strip() for n in values.get("people", "").split(",") if n.strip()],
                email=values.get("email") or None,
                phone=values.get("phone") or None,
                linkedin=values.get("linkedin") or None,
                org=values.get("org") or None,
                role=values.get("role") or None,
                title=values.get("title") or None,
                at=values.get("at") or None,
                decision_by=values.get("decision_by") or None,
                promised_by=values.get("promised_by") or None,
                promised=values.get("promised") or None,
                introduced_by=values.get("introduced_by") or None,
                prefers=values.get("prefers") or None,
                their_tz=values.get("their_tz") or None,
                topics=_lines(values.get("topics", "")),
                questions=_lines(values.get("questions", "")),
                note=values.get("note") or None,
                time_sensitive=bool(values.get("time_sensitive")),
                card=bool(values.get("card")),
                thread_id=number(values.get("thread_id")),
                i_promised=values.get("i_promised") or None,
                i_promised_by=values.get("i_promised_by") or None,
            ),
        )
    except TactfulError as exc:
        shown = kind if kind in KIND_FIELDS else "interview"
        error = exc.spelled(forms.spell(forms.LOG))
        return _log_page(request, svc, "log.html", shown, values, status=422, error=error)
    to = f"/threads/{logged.interaction.thread_id}?logged={logged.interaction.id}"
    return done_then(svc, to, planned=len(logged.change.added))


@router.post("/followups/{followup_id}/done")
def done(request: Request, followup_id: int, svc: Svc) -> Response:
    form = auth.form(request)
    text, channel = form.get("text"), form.get("channel")
    sent, _ = followups.done(
        svc,
        followup_id,
        channel=channel if isinstance(channel, str) and channel else None,
        text=text if isinstance(text, str) and text.strip() else None,
    )
    return done_then(svc, _next(form, f"/threads/{sent.thread_id}"))


@router.post("/followups/{followup_id}/skip")
def skip(request: Request, followup_id: int, svc: Svc) -> Response:
    form = auth.form(request)
    followups.skip(svc, followup_id, "skipped from the web")
    return done_then(svc, _next(form, "/"))


@router.post("/followups/{followup_id}/snooze")
def snooze(request: Request, followup_id: int, svc: Svc) -> Response:
    form = auth.form(request)
    until = form.get("until")
    followups.snooze(svc, followup_id, until if isinstance(until, str) and until.strip() else None)
    return done_then(svc, _next(form, "/"))


@router.post("/threads/{thread_id}/wake")
def wake(thread_id: int, svc: Svc) -> Response:
    followups.wake(svc, thread_id)
    return done_then(svc, f"/threads/{thread_id}")


@router.post("/contacts/{contact_id}/remind")
def remind(request: Request, contact_id: int, svc: Svc) -> Response:
    form = auth.form(request)
    at, note = form.get("at"), form.get("note")
    followups.remind(
        svc,
        f"#{contact_id}",
        at if isinstance(at, str) else None,
        note if isinstance(note, str) and note else None,
    )
    return done_then(svc, f"/contacts/{contact_id}")


@router.post("/threads/{thread_id}/reply")
def reply(request: Request, thread_id: int, svc: Svc) -> Response:
    form = auth.form(request)
    who = form.get("contact")
    followups.reply(svc, f"#{who}" if isinstance(who, str) and is_id(who) else str(who or ""), thread_id)
    return done_then(svc, f"/threads/{thread_id}")


@router.post("/threads/{thread_id}/outcome")
def outcome(request: Request, thread_id: int, svc: Svc) -> Response:
    form = auth.form(request)
    followups.outcome(svc, thread_id, str(form.get("outcome") or ""))
    return done_then(svc, f"/threads/{thread_id}")


@router.post("/undo")
def undo(request: Request, svc: Svc) -> Response:
    """Take back the change a "Done · Undo" banner offered (only while it is still the last one)."""
    from urllib.parse import urlencode

    form = auth.form(request)
    change = form.get("change")
    undone = corrections.undo(svc, number(change))
    target = _next(form, "/")
    if target.startswith("/threads/") and not _still_there(svc, target):
        target = "/"
    return back(f"{target}?{urlencode({'undone': undone.summary})}")


def _still_there(svc: Any, path: str) -> bool:
    """Whether the thread page `path` names still exists (an undone log may have taken it away)."""
    digits = path.removeprefix("/threads/").split("?")[0]
    try:
        found = number(digits)
        return found is not None and bool(reading.thread(svc, found))
    except TactfulError:
        return False


def _next(form: Any, default: str) -> str:
    """Where to go after an action: a local path the form asked for, else `default`."""
    target = form.get("next")
    if isinstance(target, str) and target.startswith("/") and not target.startswith("//"):
        return target
    return default


@router.get("/profile", response_class=HTMLResponse)
def profile_form(request: Request, svc: Svc) -> Response:
    return render(request, svc, "profile.html", saved=request.query_params.get("saved") == "1")


@router.post("/profile")
def profile_submit(request: Request, svc: Svc) -> Response:
    form = {k: v.strip() for k, v in auth.form(request).items() if isinstance(v, str)}
    fields = ("name", "email", "phone", "linkedin", "signature", "tz", "country")
    changes: dict[str, Any] = {
        k: form.get(k) for k in fields
    }  # an emptied field is cleared, an absent one kept
    changes["skills"] = [s for s in form.get("skills", "").split(",") if s.strip()]
    changes["notes"] = bool(form.get("notes"))
    changes["linkedin_free"] = bool(form.get("linkedin_free"))
    try:
        update_profile(svc, **changes)
    except TactfulError as exc:
        return render(request, svc, "profile.html", 422, error=exc.spelled(forms.spell(forms.PROFILE)))
    return back("/profile?saved=1")


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request, svc: Svc) -> Response:
    """The JSON API, read from its own OpenAPI document: no script, nothing fetched from elsewhere."""
    document = request.app.openapi()
    operations = [
        {
            "method": method.upper(),
            "path": path,
            "summary": op.get("summary", ""),
            "params": op.get("parameters", []),
            "body": _body_fields(document, op),
        }
        for path, methods in document["paths"].items()
        for method, op in methods.items()
    ]
    return render(request, svc, "api_docs.html", operations=operations, version=document["info"]["version"])


def _body_fields(document: dict[str, Any], op: dict[str, Any]) -> list[tuple[str, str]]:
    """(name, description) of the JSON body's fields, when the operation takes one."""
    schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    ref = schema.get("$ref", "")
    if not ref:
        return []
    model = document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    required = set(model.get("required", []))
    return [
        (name + ("" if name in required else "?"), str(spec.get("description", "")))
        for name, spec in model.get("properties", {}).items()
    ]
