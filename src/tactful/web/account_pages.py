"""Who is using the web app: logging in and out, the one-time page a new account sets its password
on, and the calendar feed, which a calendar app reads without logging in.

On one person's database the log-in asks for their password. On a team server (`tactful users`) it
asks for an address and a password, and the session then holds that account: every other page and
the API serve its data and nobody else's (`deps.service`).
"""

from __future__ import annotations

import math
import time
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from ..service import access, accounts
from ..service.transfer import feed_ics, feed_token_matches
from . import auth
from .deps import Svc, render, service_for
from .pages import back

router = APIRouter(dependencies=[Depends(auth.require_csrf)], include_in_schema=False)


def _team(request: Request) -> Any:
    return request.app.state.cache.team


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, svc: Svc) -> Response:
    return render(request, svc, "login.html", team=_team(request) is not None)


@router.post("/login")
def login(request: Request, svc: Svc) -> Response:
    """Check the password (argon2, in this worker thread); wrong tries from one address are slowed."""
    team = _team(request)
    throttle: auth.Throttle = request.app.state.throttle
    address = request.client.host if request.client else "unknown"
    wait = throttle.attempt(address, time.monotonic())
    if wait > 0:
        seconds = math.ceil(wait)
        said = f"Too many wrong tries; wait {seconds} second{'' if seconds == 1 else 's'} and try again."
        page = render(request, svc, "login.html", 429, error=said, team=team is not None)
        page.headers["Retry-After"] = str(seconds)
        return page
    password = auth.form(request).get("password")
    if team is not None:
        email = auth.field(request, "email") or ""
        account = accounts.log_in(team, email, password) if isinstance(password, str) else None
        if account is not None:
            throttle.succeeded(address)
            request.session.clear()
            request.session.update(user=True, account=account.id)
            with service_for(request.app.state, account=account) as own:
                request.session["generation"] = access.session_generation(own)
            return back("/")
        return render(
            request, svc, "login.html", 401, error="That address and password do not match.", team=True
        )
    if isinstance(password, str) and access.check_password(svc, password):
        throttle.succeeded(address)
        request.session.clear()
        request.session["user"] = True
        request.session["generation"] = access.session_generation(svc)
        return back("/")
    return render(request, svc, "login.html", 401, error="That password is not right.")


@router.post("/logout")
def logout(request: Request, svc: Svc) -> Response:
    """Log out here and everywhere else: cookies copied before now open nothing."""
    if request.session.get("user") and (_team(request) is None or svc.account is not None):
        access.end_sessions(svc)
    request.session.clear()
    return back("/login")


@router.get("/welcome/{token}", response_class=HTMLResponse)
def welcome(request: Request, token: str, svc: Svc) -> Response:
    """A new account's one-time page, from `tactful users add`: where its owner sets a password."""
    team = _team(request)
    if team is None:
        raise HTTPException(404)
    account = accounts.welcome(team, token, svc.now())
    return render(request, svc, "set_password.html", email=account.email, token=token)


@router.post("/welcome/{token}", response_class=HTMLResponse)
def set_password(request: Request, token: str, svc: Svc) -> Response:
    """Set the password, once, and log in with it."""
    team = _team(request)
    if team is None:
        raise HTTPException(404)
    password = auth.form(request).get("password")
    if not isinstance(password, str) or password != auth.form(request).get("again"):
        email = accounts.welcome(team, token, svc.now()).email
        return render(
            request,
            svc,
            "set_password.html",
            422,
            email=email,
            token=token,
            error="The two passwords differ.",
        )
    account = accounts.claim(team, token, password, svc.now())
    request.session.clear()
    request.session.update(user=True, account=account.id)
    with service_for(request.app.state, account=account) as own:
        request.session["generation"] = access.session_generation(own)
    return back("/")


@router.get("/calendar/{token}.ics")
def calendar_feed(request: Request, token: str, svc: Svc) -> Response:
    """The follow-ups as a calendar to subscribe to; any other token is not found. On a team server
    the address names the account first (`ID.TOKEN`)."""
    cache = request.app.state.cache
    if cache.team is None:
        if not feed_token_matches(svc, token):
            raise HTTPException(404)
        return Response(feed_ics(svc), media_type="text/calendar; charset=utf-8")
    who, _, secret = token.partition(".")
    account = cache.account(int(who)) if who.isdigit() and len(who) <= 18 else None
    if account is None:
        raise HTTPException(404)
    with service_for(request.app.state, account=account) as own:
        if not feed_token_matches(own, secret):
            raise HTTPException(404)
        return Response(feed_ics(own), media_type="text/calendar; charset=utf-8")
