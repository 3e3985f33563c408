"""A loopback stand-in for Microsoft's sign-in services, reached the way the real ones are.

The Agents SDK fetches the Bot Framework signing keys from login.botframework.com (PyJWT's
JWKS client, urllib) and asks Entra ID at login.microsoftonline.com for the bot's own token
(MSAL, requests). Both honour HTTPS_PROXY and a CA bundle from the environment, so a test sets
those (`environment()`) and this server answers them: an HTTP proxy on 127.0.0.1 that accepts
CONNECT only for those two hosts and terminates TLS with a certificate of a test CA made here.
Nothing inside the SDK is replaced. It serves the JWKS, Entra's OpenID configuration and the
client-credentials token endpoint, and signs the tokens Teams would send (`channel_token`).
"""

from __future__ import annotations

import datetime as dt
import json
import socketserver
import ssl
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

BOTFRAMEWORK = "login.botframework.com"
ENTRA = "login.microsoftonline.com"
BOT_AUDIENCE = "https://api.botframework.com"
KID = "test-key-1"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A test CA and a server certificate for both hosts: (ca.pem, cert.pem, key.pem)."""
    now = dt.datetime.now(dt.UTC)
    ca_key, server_key = _key(), _key()
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "participatiebot test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    server = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, ENTRA)]))
        .issuer_name(ca_name)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName(BOTFRAMEWORK), x509.DNSName(ENTRA)]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    paths = folder / "ca.pem", folder / "cert.pem", folder / "key.pem"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(server.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        server_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


class FakeMicrosoftLogin:
    """Start with `start()`; `environment()` is what a process needs to be served by it."""

    def __init__(self) -> None:
        self.key = _key()  # signs the channel's tokens and the bot's Entra tokens
        self.apps: dict[str, tuple[str, str]] = {}  # app id -> (password, tenant)
        self.requests: list[tuple[str, str]] = []  # (host, path) as they came in
        self._folder = Path(tempfile.mkdtemp(prefix="fake-login-"))
        self.ca, cert, key = _certificates(self._folder)
        self._tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._tls.load_cert_chain(cert, key)
        self._server: _ProxyServer | None = None

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> FakeMicrosoftLogin:
        self._server = _ProxyServer(("127.0.0.1", 0), _Tunnel)
        self._server.login = self
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def proxy(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def environment(self) -> dict[str, str]:
        """HTTPS through the proxy (urllib and requests read these), the test CA trusted,
        loopback direct."""
        return {
            "HTTPS_PROXY": self.proxy,
            "https_proxy": self.proxy,
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
            "SSL_CERT_FILE": str(self.ca),
            "REQUESTS_CA_BUNDLE": str(self.ca),
        }

    # ------------------------------------------------------------------ tokens
    def register(self, app_id: str, password: str, tenant: str) -> None:
        """An app registration in Entra ID (single tenant)."""
        self.apps[app_id] = (password, tenant)

    def channel_token(
        self,
        app_id: str,
        service_url: str,
        *,
        key: rsa.RSAPrivateKey | None = None,
        issuer: str = BOT_AUDIENCE,
        expires_in: int = 3600,
    ) -> str:
        """The Bearer token the Bot Framework puts on an activity it posts to the bot."""
        now = int(time.time())
        claims = {
            "iss": issuer,
            "aud": app_id,
            "serviceurl": service_url,
            "nbf": now - 5,
            "iat": now - 5,
            "exp": now + expires_in,
        }
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": KID})

    def bot_token_valid(self, token: str) -> bool:
        """What the Bot Connector checks on the bot's calls: our signature, its audience."""
        try:
            claims = jwt.decode(
                token, self.key.public_key(), algorithms=["RS256"], audience=BOT_AUDIENCE
            )
        except jwt.PyJWTError:
            return False
        return claims.get("appid") in self.apps

    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": KID, "use": "sig", "alg": "RS256"}]}

    # ------------------------------------------------------------------ what the hosts answer
    def answer(self, host: str, method: str, path: str, body: bytes) -> tuple[int, Any]:
        self.requests.append((host, path))
        parts = [p for p in urlsplit(path).path.split("/") if p]
        if host == BOTFRAMEWORK and method == "GET" and parts == ["v1", ".well-known", "keys"]:
            return 200, self.jwks()
        if host != ENTRA or not parts:
            return 404, {"error": "not_found"}
        if method == "GET" and parts == ["common", "discovery", "instance"]:
            # MSAL asks which hosts are one cloud (after an error, for its token cache)
            return 200, {
                "tenant_discovery_endpoint": (
                    f"https://{ENTRA}/common/v2.0/.well-known/openid-configuration"
                ),
                "api-version": "1.1",
                "metadata": [
                    {
                        "preferred_network": ENTRA,
                        "preferred_cache": "login.windows.net",
                        "aliases": [ENTRA, "login.windows.net", "sts.windows.net"],
                    }
                ],
            }
        tenant = parts[0]
        known = {t for _, t in self.apps.values()}
        if tenant not in known:
            return 400, {
                "error": "invalid_tenant",
                "error_description": f"AADSTS90002: Tenant '{tenant}' not found.",
            }
        base = f"https://{ENTRA}/{tenant}"
        if method == "GET" and parts[1:] == ["v2.0", ".well-known", "openid-configuration"]:
            return 200, {
                "issuer": f"{base}/v2.0",
                "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                "token_endpoint": f"{base}/oauth2/v2.0/token",
                "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
                "jwks_uri": f"{base}/discovery/v2.0/keys",
                "tenant_region_scope": "EU",
            }
        if method == "POST" and parts[1:] == ["oauth2", "v2.0", "token"]:
            return self._token(tenant, {k: v[0] for k, v in parse_qs(body.decode()).items()})
        if method == "GET" and parts[1:] == ["discovery", "v2.0", "keys"]:
            return 200, self.jwks()
        return 404, {"error": "not_found"}

    def _token(self, tenant: str, form: dict[str, str]) -> tuple[int, Any]:
        app = self.apps.get(form.get("client_id", ""))
        if app is None or app[1] != tenant:
            return 400, {
                "error": "unauthorized_client",
                "error_description": "AADSTS700016: Application not found in the directory.",
            }
        if form.get("client_secret") != app[0]:
            return 401, {
                "error": "invalid_client",
                "error_description": "AADSTS7000215: Invalid client secret provided.",
            }
        now = int(time.time())
        claims = {
            "iss": f"https://sts.windows.net/{tenant}/",
            "aud": BOT_AUDIENCE,
            "appid": form["client_id"],
            "tid": tenant,
            "ver": "1.0",
            "nbf": now - 5,
            "exp": now + 3600,
            "jti": str(uuid.uuid4()),
        }
        token = jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": KID})
        return 200, {"token_type": "Bearer", "expires_in": 3599, "access_token": token}


class _ProxyServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    login: FakeMicrosoftLogin


class _Tunnel(socketserver.StreamRequestHandler):
    """CONNECT host:443, then TLS as that host, then plain HTTP/1.1 inside."""

    server: _ProxyServer

    def handle(self) -> None:
        request_line = self.rfile.readline().decode("latin-1").split()
        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
            pass
        if len(request_line) < 2 or request_line[0] != "CONNECT":
            self.wfile.write(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            return
        host = request_line[1].rsplit(":", 1)[0]
        if host not in (BOTFRAMEWORK, ENTRA):  # nothing else is ever let through
            self.wfile.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            return
        self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        self.wfile.flush()
        tls = self.server.login._tls.wrap_socket(self.connection, server_side=True)
        try:
            _Service(tls, self.client_address, self.server)
        finally:
            tls.close()


class _Service(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _ProxyServer

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        host = (self.headers.get("Host") or "").split(":")[0]
        status, answer = self.server.login.answer(host, method, self.path, body)
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._serve("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._serve("POST")

    def log_message(self, format: str, *args: Any) -> None:
        return None
