"""Sending mail over SMTP (thư điện tử), for what people asked to receive by e-mail.

Off unless ``CONGVU_SMTP_URL`` names a server. The standard library's ``smtplib`` does
the talking, in a thread: a slow mail server must not hold the event loop. One
connection carries a whole batch of messages."""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

DEFAULT_PORTS = {"smtp": 25, "smtps": 465}
TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    implicit_tls: bool
    starttls: bool
    user: str | None
    password: str | None

    @classmethod
    def from_url(cls, url: str) -> SmtpServer:
        parts = urlsplit(url)
        query = parse_qs(parts.query)
        return cls(
            host=parts.hostname or "localhost",
            port=parts.port or DEFAULT_PORTS.get(parts.scheme, 25),
            implicit_tls=parts.scheme == "smtps",
            starttls=query.get("starttls", ["false"])[0].lower() in ("1", "true", "yes"),
            user=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )


def message(mail: Mail, sender: str, sender_name: str = "Kiểm tra công vụ") -> EmailMessage:
    built = EmailMessage()
    built["From"] = formataddr((sender_name, sender))
    built["To"] = mail.to
    built["Subject"] = mail.subject
    built["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    built.set_content(mail.text, charset="utf-8")
    return built


def _send_all(server: SmtpServer, sender: str, mails: list[Mail]) -> list[str]:
    """Sends each mail; returns the addresses the server refused (the rest went)."""
    refused: list[str] = []
    context = ssl.create_default_context()
    client: smtplib.SMTP = (
        smtplib.SMTP_SSL(server.host, server.port, timeout=TIMEOUT_SECONDS, context=context)
        if server.implicit_tls
        else smtplib.SMTP(server.host, server.port, timeout=TIMEOUT_SECONDS)
    )
    with client:
        if server.starttls:
            client.starttls(context=context)
        if server.user is not None:
            client.login(server.user, server.password or "")
        for mail in mails:
            try:
                client.send_message(message(mail, sender))
            except smtplib.SMTPRecipientsRefused:
                refused.append(mail.to)
    return refused


async def send(url: str, sender: str, mails: list[Mail]) -> list[str]:
    """Sends ``mails`` through the server at ``url`` off the event loop; returns the
    refused addresses. A server that cannot be reached raises ``OSError`` (or an
    ``smtplib.SMTPException``): the caller decides whether to try again later."""
    if not mails:
        return []
    return await asyncio.to_thread(_send_all, SmtpServer.from_url(url), sender, mails)
