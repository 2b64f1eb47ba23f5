"""The use cases: what a person can do with tactful, whichever face they use.

The command line, the web pages and the JSON API call only this layer. `Service` (in `base`) is the
context every use case takes as its first argument; the use cases are plain functions, by theme:

- `followups`: log an interaction, mark a follow-up sent, skip or snooze it, note a reply or an outcome;
- `reading`: the agenda, a thread, a person, the board;
- `profile`: the user's own details;
- `drafting`: write a draft for a follow-up, review one, package it as a mail file;
- `transfer`: imports, calendar exports and the feed, backups;
- `access`: the web app's password and session key;
- `workers`: reviews in a process of their own, for a server that must keep answering;
- `demo`: the sample history;
- `shapes`: the public JSON shapes of what they return.

Nothing here prints or prompts, and nothing here knows which store it runs on.
"""

from .base import Service

__all__ = ["Service"]
