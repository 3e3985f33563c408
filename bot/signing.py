"""Signed, expiring tokens for links in e-mail (HMAC-SHA256 with a secret kept in the data dir)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

SECRET_FILE = "secret.key"


class BadToken(Exception):
    """A token that was forged, damaged or expired."""


def secret_key(data_dir: Path) -> bytes:
    """The installation's secret, created once at `<data dir>/secret.key` (readable by us only)."""
    path = Path(data_dir) / SECRET_FILE
    try:
        return bytes.fromhex(path.read_text().strip())
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: when two processes start at once, one writes and both read the same key
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return bytes.fromhex(path.read_text().strip())
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(key: bytes, purpose: str, body: str) -> str:
    # the purpose is signed too: a token made for one use cannot open another
    return _b64(hmac.new(key, f"{purpose}\n{body}".encode(), hashlib.sha256).digest())


def sign(key: bytes, purpose: str, payload: dict[str, Any], expires: datetime) -> str:
    """A URL-safe token carrying payload until `expires`."""
    body = _b64(
        json.dumps({**payload, "exp": int(expires.timestamp())}, separators=(",", ":")).encode()
    )
    return f"{body}.{_mac(key, purpose, body)}"


def verify(key: bytes, purpose: str, token: str, now: datetime) -> dict[str, Any]:
    """The payload of a genuine, unexpired token; BadToken otherwise."""
    body, _, mac = (token or "").partition(".")
    if not body or not mac or not hmac.compare_digest(mac, _mac(key, purpose, body)):
        raise BadToken("forged")
    try:
        payload = json.loads(_unb64(body))
    except (ValueError, UnicodeDecodeError) as e:
        raise BadToken("damaged") from e
    if not isinstance(payload, dict) or not isinstance(payload.get("exp"), int):
        raise BadToken("damaged")
    if payload["exp"] <= now.timestamp():
        raise BadToken("expired")
    return payload


def form_token(key: bytes, bound_to: str) -> str:
    """The check value a page's form carries, bound to the session or link the page was made
    for: a POST without it was not sent from that page (a form on another site, a scanner)."""
    return hmac.new(key, f"csrf\n{bound_to}".encode(), hashlib.sha256).hexdigest()


def form_token_ok(key: bytes, bound_to: str, given: str | None) -> bool:
    return hmac.compare_digest(given or "", form_token(key, bound_to))


def pseudonym(key: bytes, purpose: str, value: str) -> str:
    """A keyed hash of `value` (an e-mail address, say) to count or look up by: the same value
    gives the same pseudonym, and without the key nobody can tell which value it was."""
    mac = hmac.new(key, f"{purpose}\n{value.strip().lower()}".encode(), hashlib.sha256)
    return mac.hexdigest()[:40]


def token_hash(token: str) -> str:
    """What the database keeps of a one-time login or session token."""
    return hashlib.sha256(token.encode()).hexdigest()


# The web chat's 'go on here' link: mailed on request, and to a web-chat owner whose plan the
# advisor answered (the conversation lives in a browser; the mail may be read on another).
WEBCHAT_LINK = "webchat-link"
WEBCHAT_LINK_LIFETIME = timedelta(days=7)


def webchat_link(key: bytes, public_url: str, identity: str, now: datetime) -> str | None:
    """The link that resumes web-chat conversation `identity` ('web:<id>') for 7 days; None
    for a person of another channel."""
    channel, _, sid = identity.partition(":")
    if channel != "web" or not sid:
        return None
    token = sign(key, WEBCHAT_LINK, {"s": sid}, now + WEBCHAT_LINK_LIFETIME)
    return f"{public_url.rstrip('/')}/chat/verder?{urlencode({'t': token})}"
