"""The people of a team server: accounts added by whoever runs it, each setting their own password
through a one-time link, then logging in with their address.

Each account's data is a store of its own (`Directory.open`); nothing here reads one account's data
for another. A link is a random token shown once; only its digest is kept, with the moment it ends,
and it works once: nobody can take an account by reaching the log-in page first, since an account
without a password cannot log in at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from ..domain import Account
from ..errors import InvalidInput, NotFound
from ..store.base import Directory
from . import access
from .base import Service

#: How long a new account's link to set its password works.
LINK_HOURS = 24
WELCOME_PATH = "/welcome/{token}"
_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_user(directory: Directory, email: str, admin: bool, now: dt.datetime) -> tuple[Account, str]:
    """A new account, and the path of its one-time link (valid `LINK_HOURS`) to set a password."""
    address = email.strip()
    if not _ADDRESS.match(address) or len(address) > 254:
        raise InvalidInput(f"{email[:80]!r} is not an e-mail address; give one like robin@example.net")
    account = directory.add(address, admin, now)
    return account, new_link(directory, account, now)


def new_link(directory: Directory, account: Account, now: dt.datetime) -> str:
    """A fresh one-time link for `account` (any earlier one stops working)."""
    token = secrets.token_urlsafe(32)
    directory.set_setup(account.id, _digest(token), now + dt.timedelta(hours=LINK_HOURS))
    return WELCOME_PATH.format(token=token)


def welcome(directory: Directory, token: str, now: dt.datetime) -> Account:
    """The account a link is for, while it works; `NotFound` once used or past its end."""
    found = directory.by_setup(_digest(token)) if token else None
    if found is None or found[1] <= now:
        raise NotFound("this link has been used or has expired; ask for a new one")
    return found[0]


def claim(directory: Directory, token: str, password: str, now: dt.datetime) -> Account:
    """Set the password of the account a link is for; the link stops working."""
    account = welcome(directory, token, now)
    store = directory.open(account)
    try:
        access.set_password(Service(store, account=account), password)
    finally:
        store.close()
    directory.set_setup(account.id, None, None)
    return account


def log_in(directory: Directory, email: str, password: str) -> Account | None:
    """The account these are the address and password of; None otherwise (no account, or none set)."""
    account = directory.find(email.strip()) if email else None
    if account is None:
        access.check_password_of_nobody(password)  # as long as a real check: no telling who exists
        return None
    store = directory.open(account)
    try:
        return account if access.check_password(Service(store, account=account), password) else None
    finally:
        store.close()


def users(directory: Directory) -> list[Account]:
    return directory.all()
