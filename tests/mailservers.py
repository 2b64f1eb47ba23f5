"""Real mail servers for the mail tests, on loopback: dovecot (IMAP) with a throw-away user and
Maildir, configured here in a temporary directory, and aiosmtpd (SMTP) that delivers into it.

Both speak TLS with a certificate from a test authority (trustme); a test that connects with TLS
trusts it through `SSL_CERT_FILE`. A server that cannot start (no dovecot installed) skips its
tests, except under CI, where `make test` has installed it and a skip would hide a failure.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.servers import free_port

USER = "robin"
PASSWORD = "s3cret-pass"
UID = 5000  # dovecot refuses mail users below first_valid_uid (500)

CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
info_log_path = {base}/dovecot.log
ssl = yes
ssl_cert = <{base}/cert.pem
ssl_key = <{base}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
first_valid_uid = 500
default_login_user = dovenull
default_internal_user = dovecot
default_internal_group = dovecot
passdb {{
  driver = passwd-file
  args = {base}/users
}}
userdb {{
  driver = passwd-file
  args = {base}/users
}}
service imap-login {{
  inet_listener imap {{
    port = {plain}
  }}
  inet_listener imaps {{
    port = {tls}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
    auto = subscribe
  }}
  mailbox Drafts {{
    special_use = \\Drafts
    auto = subscribe
  }}
}}
"""


@dataclass
class Dovecot:
    base: Path
    plain: int  # IMAP, STARTTLS offered
    tls: int  # IMAPS
    ca_file: Path
    process: subprocess.Popen[bytes]
    cert: Any = None  # the server certificate (trustme), for the SMTP server to present too

    @property
    def maildir(self) -> Path:
        return self.base / "mail" / USER / "Maildir"

    def deliver(self, raw: bytes, folder: str = "INBOX", name: str | None = None) -> None:
        """Put a message in a folder as a delivery agent would: a file in its Maildir."""
        where = self.maildir if folder == "INBOX" else self.maildir / f".{folder}"
        for sub in ("tmp", "new", "cur"):
            (where / sub).mkdir(parents=True, exist_ok=True)
            os.chown(where / sub, UID, UID)
        os.chown(where, UID, UID)
        name = name or f"{time.time_ns()}.{os.getpid()}.test"
        path = where / "new" / name
        path.write_bytes(raw)
        os.chown(path, UID, UID)

    def deliver_many(self, messages: list[bytes], folder: str = "INBOX") -> None:
        for n, raw in enumerate(messages):
            self.deliver(raw, folder, f"{time.time_ns()}.{n}.test")

    def kick(self) -> None:
        """Drop every connection of the test user, as a server restarting would."""
        doveadm = shutil.which("doveadm") or "/usr/bin/doveadm"
        subprocess.run(
            [doveadm, "-c", str(self.base / "dovecot.conf"), "kick", USER], check=True, capture_output=True
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _skip_or_fail(why: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{why} (CI installs it: tools/system-deps.sh)")
    pytest.skip(why)


def _wait_for(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dovecot stopped: {log.read_text() if log.exists() else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("dovecot did not listen within 20 s")


def start_dovecot(base: Path) -> Dovecot:
    binary = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None)
    if binary is None:
        _skip_or_fail("dovecot is not installed")
    if os.geteuid() != 0:
        _skip_or_fail("dovecot's test mail user needs root to own its Maildir")
    import trustme

    base.mkdir(parents=True, exist_ok=True)
    base.parent.chmod(0o755)
    base.chmod(0o755)
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    cert.private_key_pem.write_to_path(str(base / "key.pem"))
    cert.cert_chain_pems[0].write_to_path(str(base / "cert.pem"))
    ca.cert_pem.write_to_path(str(base / "ca.pem"))
    home = base / "mail" / USER
    home.mkdir(parents=True)
    for p in (base / "mail", home):
        os.chown(p, UID, UID)
    (base / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}:{UID}:{UID}::{home}\n")
    # The suite runs in two processes at once (SQLite and PostgreSQL): a port picked free may be taken
    # by the other before dovecot binds it, so a start that fails is tried again on other ports.
    for attempt in range(3):
        plain, tls = free_port(), free_port()
        conf = base / "dovecot.conf"
        conf.write_text(CONFIG.format(base=base, plain=plain, tls=tls))
        process = subprocess.Popen(
            [str(binary), "-F", "-c", str(conf)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            _wait_for(plain, process, base / "dovecot.log")
            _wait_for(tls, process, base / "dovecot.log")
        except RuntimeError as exc:
            process.kill()
            process.wait()
            if attempt == 2:
                _skip_or_fail(str(exc))
            continue
        return Dovecot(base, plain, tls, base / "ca.pem", process, cert)
    raise AssertionError("unreachable")


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    # its own directory under /tmp: dovecot's users must pass through every parent, and pytest's are 0700
    base = Path(tempfile.mkdtemp(prefix="tactful-dovecot-"))
    try:
        server = start_dovecot(base / "server")
        try:
            yield server
        finally:
            server.stop()
    finally:
        shutil.rmtree(base, ignore_errors=True)


@dataclass
class Smtp:
    """aiosmtpd on loopback: STARTTLS required, AUTH PLAIN/LOGIN with the test user, each message
    delivered into dovecot's Inbox and kept in `received` (envelope sender, recipients, bytes)."""

    port: int
    received: list[tuple[str, list[str], bytes]]
    controller: Any
    answers: list[str]  # what it says after DATA: "250 ..." unless a test puts a refusal first


def start_smtp(dovecot: Dovecot) -> Smtp:
    import ssl

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    received: list[tuple[str, list[str], bytes]] = []
    answers: list[str] = []

    class Deliver:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            if answers:
                return answers.pop(0)
            raw = envelope.original_content or envelope.content
            received.append((envelope.mail_from, list(envelope.rcpt_tos), bytes(raw)))
            dovecot.deliver(bytes(raw))
            return "250 2.0.0 OK: queued"

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            USER.encode(),
            PASSWORD.encode(),
        )
        return AuthResult(success=ok, handled=False)

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    dovecot.cert.configure_cert(context)
    port = free_port()
    controller = Controller(
        Deliver(),
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        authenticator=authenticator,
        auth_require_tls=True,
        server_hostname="localhost",
    )
    controller.start()
    return Smtp(port, received, controller, answers)


@pytest.fixture
def smtp(dovecot: Dovecot) -> Iterator[Smtp]:
    server = start_smtp(dovecot)
    try:
        yield server
    finally:
        server.controller.stop()
