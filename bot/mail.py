"""Outgoing e-mail through a durable outbox: stored first, sent with aiosmtplib, retried later.

Without SMTP settings every mail is written to `<data dir>/outbox/<id>.eml` instead.
A mail is claimed before it is sent and marked sent after the server accepted it, so a restart
loses nothing and two workers never send the same mail.
"""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr, formatdate, getaddresses, make_msgid
from pathlib import Path
from typing import Any

from bot.settings import Settings
from bot.storage import Store
from bot.storage.lifecycle import NewMail, OutboxStore

log = logging.getLogger(__name__)

FIRST_RETRY = timedelta(minutes=1)
MAX_RETRY = timedelta(hours=6)
# longer than one SMTP conversation can take: a crashed sender's claim runs out by itself
HOLD = timedelta(minutes=5)
SMTP_TIMEOUT = 30


@dataclass(frozen=True)
class Delivery:
    """What happened to one mail: sent over SMTP, written as .eml, or still waiting."""

    mail_id: int
    sent: bool
    eml_path: Path | None = None
    error: str | None = None


def backoff(attempts: int) -> timedelta:
    """Wait after the n-th failed attempt: 1, 2, 4, ... minutes, at most 6 hours."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), MAX_RETRY)


def sender(mail_from: str) -> str:
    """The From of every mail: 'participatiebot <…>', so the inbox shows who wrote."""
    return formataddr(("participatiebot", mail_from))


def prepare(message: EmailMessage, mail_from: str) -> NewMail:
    """The mail as the outbox keeps it: its recipients, subject and bytes, From filled in."""
    if not message["From"]:
        message["From"] = sender(mail_from)
    fields = message.get_all("To", []) + message.get_all("Cc", [])
    recipients = [addr for _, addr in getaddresses(fields) if addr]
    if not recipients:
        raise ValueError("een mail zonder ontvanger")
    return NewMail(recipients, str(message["Subject"] or ""), message.as_bytes(policy=SMTP))


class Outbox:
    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.db = OutboxStore(store)

    @property
    def folder(self) -> Path:
        return self.settings.data_dir / "outbox"

    def put(self, message: EmailMessage, plan_id: str | None = None) -> int:
        """Store a mail for sending; returns its id. Nothing is sent yet."""
        mail = prepare(message, self.settings.mail_from)
        return self.db.add(mail.recipients, mail.subject, mail.message, plan_id)

    async def send_due(self, now: datetime | None = None) -> list[Delivery]:
        """Try every mail whose time has come, once; for a worker or a cron job."""
        now = now or self.settings.clock()
        return [d for mail_id in self.db.due(now) if (d := await self.deliver(mail_id, now))]

    async def deliver(self, mail_id: int, now: datetime | None = None) -> Delivery | None:
        """Send one mail now; None when it was already sent or another sender has it."""
        now = now or self.settings.clock()
        mail = self.db.claim(mail_id, now, HOLD)
        if mail is None:
            return None
        if not self.settings.smtp_host:
            path = self._write_eml(mail.id, mail.message)
            self.db.sent(mail.id, now, eml_path=str(path))
            return Delivery(mail.id, sent=True, eml_path=path)
        import aiosmtplib  # with the first mail over SMTP: a process that sends none does without

        try:
            await aiosmtplib.send(
                mail.message,
                sender=self.settings.mail_from,
                recipients=mail.recipients,
                hostname=self.settings.smtp_host,
                port=self.settings.smtp_port or (587 if self.settings.smtp_starttls else 25),
                username=self.settings.smtp_username,
                password=self.settings.smtp_password,
                start_tls=self.settings.smtp_starttls,
                timeout=SMTP_TIMEOUT,
            )
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as e:
            error = f"{type(e).__name__}: {e}"
            retry = now + backoff(mail.attempts + 1)
            log.warning("mail %s not sent (%s); next attempt %s", mail.id, error, retry)
            self.db.failed(mail.id, now, error, retry)
            return Delivery(mail.id, sent=False, error=error)
        self.db.sent(mail.id, self.settings.clock())
        log.info("mail %s sent to %s", mail.id, ", ".join(mail.recipients))
        return Delivery(mail.id, sent=True)

    def _write_eml(self, mail_id: int, raw: bytes) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{mail_id}.eml"
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(raw)
        os.replace(tmp, path)  # a reader never sees half a mail
        return path


class EmailSender:
    """The message outbox's way out for `email:` identities (bot/delivery.py): each message
    becomes a mail in this outbox, which sends it over SMTP or writes an .eml file, and retries
    a failing server by itself."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.outbox = Outbox(settings, store)

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def send(self, identity: str, text: str, **extra: Any) -> None:
        address = identity.removeprefix("email:")
        message = EmailMessage()
        message["From"] = sender(self.settings.mail_from)
        message["To"] = address
        message["Subject"] = extra.get("subject") or "Bericht van participatiebot"
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain=self.settings.mail_from.rpartition("@")[2])
        body = text
        url = extra.get("unsubscribe_url")
        if url:
            # RFC 8058: mail programs show their own one-click 'unsubscribe' button
            message["List-Unsubscribe"] = f"<{url}>"
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
            body += f"\n\n--\nGeen berichten meer? Meld je af met één klik:\n{url}\n"
        message.set_content(body)
        # A header line may be 998 long (RFC 5322): folded at 78, the long link in
        # List-Unsubscribe would be turned into encoded words that no mail program can follow.
        raw = message.as_bytes(policy=SMTP.clone(max_line_length=998))
        mail_id = self.outbox.db.add([address], str(message["Subject"]), raw, extra.get("plan_id"))
        # stored in the mail outbox: a failing server is retried there, nothing is lost
        await self.outbox.deliver(mail_id)


async def run_worker(outbox: Outbox, stop: asyncio.Event, interval: float = 30.0) -> None:
    """Send what is due every `interval` seconds until `stop` is set (for `serve`)."""
    while not stop.is_set():
        try:
            await outbox.send_due()
        except Exception:  # the database may be briefly away: try again next round
            log.exception("outbox round failed")
        try:
            await asyncio.wait_for(stop.wait(), timeout=interval)
        except TimeoutError:
            pass
