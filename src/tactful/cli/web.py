"""Commands for the web app: `serve` starts it, `password` sets what it asks for beyond this machine."""

from __future__ import annotations

import sys
from typing import Any

import click

from ..errors import TactfulError
from .base import App, command, pass_app


def _loopback(host: str) -> bool:
    """Whether `host` is this machine only: "localhost", or an address the ipaddress module calls
    loopback (127.0.0.0/8, ::1 in any spelling); "127.evil.example" is a name, and not."""
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@command()
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="The port.")
@click.option(
    "--forwarded-allow-ips",
    "proxies",
    default="",
    metavar="ADDRESSES",
    help="The reverse proxies (comma-separated addresses) whose X-Forwarded-For names the client; "
    "none by default, when the address that connected is the client's.",
)
@click.option(
    "--log-json", is_flag=True, help="Write one JSON line per request on stderr (for a log collector)."
)
@pass_app
def serve(app: App, host: str, port: int, proxies: str, log_json: bool) -> None:
    """Start the web app and the JSON API.

    It listens on this machine only unless --host says otherwise; any other address needs a
    password, set first with `tactful password`. On a team server (`tactful users`) everyone logs
    in with their address and own password. Wrong passwords are slowed down per client address:
    behind a reverse proxy, name it with --forwarded-allow-ips.
    """
    from ..service.access import password_is_set
    from ..web import LOOPBACK_NAMES, Settings, create_app
    from .wiring import is_team

    options = proxy_options(proxies)
    team = is_team(app.config)  # each account logs in with its own password, wherever it listens
    if not team and not _loopback(host) and not password_is_set(app.service):
        raise TactfulError(
            f"listening on {host} needs a password: set one first with `tactful password`", field="host"
        )
    settings = Settings(
        app.config,
        require_login=team or not _loopback(host),
        hosts=LOOPBACK_NAMES if _loopback(host) else ("*",),
        review_worker=True,
        mail_worker=True,
        access_log=log_json,
    )
    web = create_app(settings)
    import uvicorn

    shown = f"[{host}]" if ":" in host else host
    click.echo(
        f"tactful is running at http://{shown}:{port}/ (database: {settings.config.database}); press Ctrl+C to stop."
    )
    # Pages are built in worker threads; the event loop that answers everyone else meanwhile gets
    # the interpreter's lock back after a millisecond of their work, not after Python's usual five.
    sys.setswitchinterval(0.001)
    uvicorn.run(web, host=host, port=port, log_level="warning", **options)


def proxy_options(proxies: str) -> dict[str, Any]:
    """uvicorn's settings for the proxies named (comma-separated): X-Forwarded-For is read only from
    them. uvicorn's own default trusts 127.0.0.1, where any local program could claim any address."""
    import ipaddress

    trusted = [p.strip() for p in proxies.split(",") if p.strip()]
    for address in trusted:
        try:
            ipaddress.ip_network(address, strict=False)
        except ValueError:
            raise TactfulError(
                f"--forwarded-allow-ips: {address[:60]!r} is not an address; give the proxy's, "
                "e.g. 127.0.0.1 or 10.0.0.0/8",
                field="forwarded_allow_ips",
            ) from None
    return {"proxy_headers": bool(trusted), "forwarded_allow_ips": trusted or None}


@command()
@click.option("--stdin", "from_stdin", is_flag=True, help="Read the new password from standard input.")
@pass_app
def password(app: App, from_stdin: bool) -> None:
    """Set the password the web app asks for when it listens beyond this machine."""
    from ..service.access import set_password

    if from_stdin:
        secret = sys.stdin.readline().rstrip("\r\n")
    else:
        secret = click.prompt("New password", hide_input=True, confirmation_prompt=True, err=True)
    set_password(app.service, secret)
    click.echo("Password set; `tactful serve --host 0.0.0.0` will ask for it.")


COMMANDS = (serve, password)
