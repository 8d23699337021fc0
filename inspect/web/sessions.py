"""The server-side session backend (phiên đăng nhập): sessions in Redis, a fresh id at
login, one round trip per request."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any, cast

from congvu.inspect.actor import SESSION_REUSE_TTL
from congvu.inspect.ttl_cache import TtlCache
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)
from litestar.stores.redis import RedisStore
from litestar.types import Empty, Message, Scope, ScopeSession
from litestar.utils.dataclass import extract_dataclass_items

_LOADED_SESSION = "congvu_loaded_session"
# The cookie that carries the session id (read by the CSRF check, which binds to it).
SESSION_COOKIE = "congvu_session"
SESSION_ID_BYTES = 32
# The sessions this process read from Redis in the last second, by id (their stored
# bytes). See RotatingSessionBackend.
recent_sessions: TtlCache[str, bytes] = TtlCache(SESSION_REUSE_TTL)


def rotate_session(scope: Scope) -> str:
    """Give this request's session a fresh id when its response is sent (at login, so
    that a planted cookie cannot be fixed on a user, and the CSRF token bound to the
    old id dies with it); returns the new id."""
    state = scope.setdefault("state", {})
    state["rotate_session"] = True
    rotated = state.get("rotated_session_id")
    if rotated is None:
        rotated = state["rotated_session_id"] = secrets.token_hex(SESSION_ID_BYTES)
    return str(rotated)


def session_id_for(scope: Scope, cookies: dict[str, str]) -> str:
    """The id of the session this request's response will carry: its cookie's, or the
    fresh one the backend gives a request without one (Litestar's backend reads the
    "null" of a cleared cookie as none) and which is chosen here, now."""
    current = cookies.get(SESSION_COOKIE)
    if current and current != "null" and not scope.get("state", {}).get("rotate_session"):
        return current
    return rotate_session(scope)


def rotated_session_id(scope: Scope) -> str | None:
    """The id this request's session will have once its response is sent, when it
    changes (see ``rotate_session``)."""
    state = scope.get("state", {})
    return str(state["rotated_session_id"]) if state.get("rotate_session") else None


class RotatingSessionBackend(ServerSideSessionBackend):
    """Issues a fresh session id at login so a planted cookie cannot be fixed on a user.

    An unchanged session is not written back: reading it renewed its expiry
    (``renew_on_access``), so a request costs one round trip to Redis, not two, and a
    request racing a logout in another tab can no longer write the ended session back.

    A session read from Redis is reused by this process for ``SESSION_REUSE_TTL`` (1 s),
    the bound already set on the session's actor: reading it cost a quarter of the CPU
    of a one-finding sync in its profile. A session this process changes or ends is
    forgotten at once; one ended through another process is refused here within 1 s.
    """

    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        if connection.scope.get("state", {}).get("rotate_session"):
            return rotate_session(connection.scope)
        return super().get_session_id(connection)

    async def load_from_connection(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> dict[str, Any]:
        if session_id := connection.cookies.get(self.config.key):
            data = recent_sessions.get(session_id)
            if data is None:
                store = self.config.get_store_from_app(connection.scope["app"])
                data = await self.get(session_id, store=store)
                if data is not None:
                    recent_sessions.put(session_id, data)
            if data is not None:
                connection.scope.setdefault("state", {})[_LOADED_SESSION] = data
                return self.deserialize_data(data)
        return {}

    async def store_in_message(
        self,
        scope_session: ScopeSession,
        message: Message,
        connection: ASGIConnection[Any, Any, Any, Any],
    ) -> None:
        state = connection.scope.get("state", {})
        loaded = state.get(_LOADED_SESSION)
        if (
            loaded is None
            or scope_session is Empty
            or state.get("rotate_session")
            or self.serialize_data(scope_session, connection.scope) != loaded
        ):
            recent_sessions.forget(connection.cookies.get(self.config.key, ""))
            recent_sessions.forget(self.get_session_id(connection))
            await super().store_in_message(scope_session, message, connection)
            return
        # The cookie's own max-age slides with the stored session, as before.
        header = self._cookie_header(self.get_session_id(connection))
        MutableScopeHeaders.from_message(message).add("Set-Cookie", header)

    @functools.cached_property
    def _cookie_header(self) -> Callable[[str], str]:
        """The Set-Cookie value of a session id (built once per session: it showed in
        the profile of every request)."""
        params = dict(
            extract_dataclass_items(self.config, exclude_none=True, include=Cookie.__dict__.keys())
        )

        @functools.lru_cache(maxsize=4096)
        def header(session_id: str) -> str:
            return Cookie(value=session_id, key=self.config.key, **params).to_header(header="")

        return header


class SessionConfig(ServerSideSessionConfig):
    _backend_class = RotatingSessionBackend


class SessionStore(RedisStore):
    """Reads and renews a session with one GETEX (Redis ≥ 6.2) where Litestar's store
    runs a Lua script of GET, TTL and EXPIRE: the same round trip, less work on both
    ends. Every session is written with an expiry, so the script's "only if it has
    one" never mattered here."""

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        if not renew_for:
            return await super().get(key)
        seconds = int(renew_for.total_seconds()) if isinstance(renew_for, timedelta) else renew_for
        return cast("bytes | None", await self._redis.getex(self._make_key(key), ex=seconds))
