"""A real SMTP server for the tests (aiosmtpd) on a free port of 127.0.0.1: STARTTLS or TLS from
the start with a certificate made for the run, a login, and answers chosen per recipient."""

import ssl
import subprocess
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.servers import free_port

USER, PASSWORD = "openparcours", "mail-secret"


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost and 127.0.0.1, made with the openssl CLI."""
    cert, key = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    command = [
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=DNS:localhost,IP:127.0.0.1",
    ]
    subprocess.run([*command, "-keyout", key, "-out", cert], check=True, capture_output=True)
    return cert, key


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes
    tls: bool

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Handler:
    received: list[Received] = field(default_factory=list)
    # Recipient → the server's answer to RCPT TO instead of 250 (e.g. "550 5.1.1 No such user").
    replies: dict[str, str] = field(default_factory=dict)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.replies:
            return self.replies[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append(
            Received(
                envelope.mail_from,
                list(envelope.rcpt_tos),
                envelope.content,
                server.transport.get_extra_info("sslcontext") is not None,
            )
        )
        return "250 Message accepted for delivery"


def _check_login(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == USER
    # handled=False: aiosmtpd answers 235 or 535 itself.
    return AuthResult(success=ok and auth_data.password.decode() == PASSWORD, handled=False)


class MailServer:
    """`MailServer(cert, key)`; `.start()`, `.stop()`, and `.url` for MAIL_URL. Started again
    after a stop, it listens on the same port: a server that was away and came back."""

    def __init__(self, cert: Path, key: Path, *, implicit_tls: bool = False):
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.context.load_cert_chain(cert, key)
        self.implicit_tls = implicit_tls
        self.port = free_port()
        self.handler = Handler()
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        scheme = "smtps" if self.implicit_tls else "smtp"
        return f"{scheme}://{USER}:{PASSWORD}@localhost:{self.port}"

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def start(self) -> None:
        tls = (
            # aiosmtpd counts only TLS begun with STARTTLS as TLS for AUTH; this one began with
            # the connection, so AUTH is offered (and checked) but cannot be required.
            {"ssl_context": self.context, "auth_require_tls": False, "auth_required": False}
            if self.implicit_tls
            else {"tls_context": self.context, "require_starttls": True, "auth_required": True}
        )
        self.controller = Controller(
            self.handler,
            hostname="127.0.0.1",
            port=self.port,
            authenticator=_check_login,
            **tls,
        )
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
