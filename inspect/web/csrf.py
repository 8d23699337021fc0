"""CSRF tokens bound to the session: with a session, the only token accepted is the
HMAC of its id under the secret key, so a token taken from one session (a planted
cookie and form field pair) is refused in any other, and a login, which gives the
session a fresh id, gives it a fresh token too.

Every visitor has a session, the anonymous one on the login page included (the session
middleware gives one to any request without it), so there is no unbound token. The
token stays readable in the ``csrftoken`` cookie, where the tablet's sync queue
(static/js/queue.js) reads it; the cookie itself proves nothing any more.
"""

from __future__ import annotations

import hashlib
import hmac
from secrets import compare_digest
from typing import Any

from congvu.inspect.web import sessions
from litestar.connection import Request
from litestar.enums import RequestEncodingType, ScopeType
from litestar.exceptions import PermissionDeniedException
from litestar.middleware._utils import should_bypass_middleware
from litestar.middleware.csrf import CSRFMiddleware, generate_csrf_hash
from litestar.types import Message, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState


def session_token(secret: str, session_id: str) -> str:
    """A session's token, in the signed format of Litestar's tokens."""
    bound = hmac.new(secret.encode(), f"csrf:{session_id}".encode(), hashlib.sha256).hexdigest()
    return bound + generate_csrf_hash(token=bound, secret=secret)


def render_with_rotated_token(scope: Scope, secret: str) -> None:
    """Forms rendered by this request carry the token of the session id its response
    gives (a page shown right after a sign-in step, instead of a redirect)."""
    rotated = sessions.rotated_session_id(scope)
    if rotated is not None:
        ScopeState.from_scope(scope).csrf_token = session_token(secret, rotated)


class SessionBoundCSRFMiddleware(CSRFMiddleware):
    """Litestar's CSRF middleware with the expected token derived from the session id
    (see the module's docstring). Used in place of ``Litestar(csrf_config=...)``, which
    has no way to swap the middleware class."""

    def token_for(self, session_id: str) -> str:
        return session_token(self.config.secret, session_id)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or should_bypass_middleware(
            scope=scope,
            scopes=self.scopes,
            exclude_opt_key=self.config.exclude_from_csrf_key,
            exclude_path_pattern=self.exclude,
        ):
            await self.app(scope, receive, send)
            return
        request: Request[Any, Any, Any] = scope["litestar_app"].request_class(scope, receive)
        # A request without a session gets one from the session middleware: choose its
        # id now, so that the page rendered here carries the token of that session.
        session_id = sessions.session_id_for(scope, request.cookies)
        expected = self.token_for(session_id)
        cookie = request.cookies.get(self.config.cookie_name)
        state = ScopeState.from_scope(scope)
        if request.method not in self.config.safe_methods:
            submitted = request.headers.get(self.config.header_name)
            content_type, _ = request.content_type
            if not submitted and content_type in {
                RequestEncodingType.URL_ENCODED,
                RequestEncodingType.MULTI_PART,
            }:
                submitted = (await request.form()).get("_csrf_token")
            if not isinstance(submitted, str) or not compare_digest(submitted, expected):
                raise PermissionDeniedException("CSRF token verification failed")
        state.csrf_token = expected
        await self.app(scope, receive, self._sending_cookie(scope, send, expected, cookie))

    def _sending_cookie(self, scope: Scope, send: Send, token: str, cookie: str | None) -> Send:
        """Sets the cookie when it is not the token (a new session, a first visit), and
        the new session's token when this response rotates the session (the login)."""

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                rotated = sessions.rotated_session_id(scope)
                value = self.token_for(rotated) if rotated is not None else token
                if value != cookie:
                    message.setdefault("headers", [])
                    self._set_cookie_if_needed(message=message, token=value)
            await send(message)

        return send_with_cookie
