"""A minimal OpenID Connect provider for the web's tests, run in the test process (eventlet's WSGI server).

Discovery document, JWKS, an authorize endpoint that approves the configured user at once (no login page), and a
token endpoint that checks the client's secret, the redirect URI and the PKCE verifier (S256 only) and issues an
RS256-signed ID token with the nonce it was given. Knobs make it misbehave the ways a test needs: another
audience, another nonce, a signature by a key not in its JWKS, an expired token, another issuer.
"""
from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import eventlet
import eventlet.wsgi
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from tests.support.service_http import free_port


@dataclass
class Misbehaviour:
    audience: str | None = None
    nonce: str | None = None
    foreign_key: bool = False
    expires_in: int = 300
    issuer: str | None = None


@dataclass
class OidcProvider:
    client_id: str = "binhdang-web"
    client_secret: str = "bi-mat-cua-ung-dung"
    username: str = ""  # preferred_username of whoever the authorize endpoint approves
    misbehave: Misbehaviour = field(default_factory=Misbehaviour)
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "tinh-1"}))
    base: str = ""
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    server: Any = None

    @property
    def issuer(self) -> str:
        return self.base

    def app(self, environ, start_response):
        request = Request(environ)
        urls = Map([Rule("/.well-known/openid-configuration", endpoint=self.discovery),
                    Rule("/jwks", endpoint=self.jwks), Rule("/authorize", endpoint=self.authorize),
                    Rule("/token", endpoint=self.token, methods=["POST"])]).bind_to_environ(environ)
        endpoint, _ = urls.match()
        return endpoint(request)(environ, start_response)

    @staticmethod
    def _json(body: dict, status: int = 200) -> Response:
        return Response(json.dumps(body), status=status, content_type="application/json")

    def discovery(self, request: Request) -> Response:
        return self._json({"issuer": self.issuer, "authorization_endpoint": self.base + "/authorize",
                           "token_endpoint": self.base + "/token", "jwks_uri": self.base + "/jwks",
                           "response_types_supported": ["code"], "subject_types_supported": ["public"],
                           "id_token_signing_alg_values_supported": ["RS256"],
                           "code_challenge_methods_supported": ["S256"]})

    def jwks(self, request: Request) -> Response:
        return self._json({"keys": [self.key.as_dict(private=False)]})

    def authorize(self, request: Request) -> Response:
        args = request.args
        if (args.get("client_id") != self.client_id or args.get("response_type") != "code"
                or args.get("code_challenge_method") != "S256" or not args.get("code_challenge")
                or "openid" not in args.get("scope", "").split()):
            return self._json({"error": "invalid_request"}, 400)
        code = secrets.token_urlsafe(24)
        self.codes[code] = {"challenge": args["code_challenge"], "nonce": args.get("nonce"),
                            "redirect_uri": args["redirect_uri"], "username": self.username}
        query = urlencode({"code": code, "state": args.get("state", "")})
        return Response("", status=302, headers={"Location": f"{args['redirect_uri']}?{query}"})

    def token(self, request: Request) -> Response:
        form = request.form
        self.token_requests.append(dict(form))
        auth = request.authorization
        if auth is None or (auth.username, auth.password) != (self.client_id, self.client_secret):
            return self._json({"error": "invalid_client"}, 401)
        grant = self.codes.pop(form.get("code", ""), None)
        if form.get("grant_type") != "authorization_code" or grant is None \
                or form.get("redirect_uri") != grant["redirect_uri"]:
            return self._json({"error": "invalid_grant"}, 400)
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if not verifier or challenge != grant["challenge"]:
            return self._json({"error": "invalid_grant", "error_description": "PKCE"}, 400)
        now = int(time.time())
        bad = self.misbehave
        claims = {"iss": bad.issuer or self.issuer, "sub": f"tinh-{grant['username']}",
                  "aud": bad.audience or self.client_id, "iat": now, "exp": now + bad.expires_in,
                  "nonce": bad.nonce or grant["nonce"], "preferred_username": grant["username"]}
        key = RSAKey.generate_key(2048, parameters={"kid": "tinh-1"}) if bad.foreign_key else self.key
        id_token = jwt.encode({"alg": "RS256", "kid": "tinh-1"}, claims, key)
        return self._json({"access_token": secrets.token_urlsafe(24), "token_type": "Bearer", "expires_in": 300,
                           "id_token": id_token})

    def start(self) -> OidcProvider:
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.server = eventlet.spawn(eventlet.wsgi.server, eventlet.listen(("127.0.0.1", port)), self.app,
                                     log_output=False)
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.kill()
