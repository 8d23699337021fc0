"""The server-side session backend (phiên đăng nhập): sessions in Redis, a fresh id at
login, one round trip per request; and the registry of each account's sessions (a
Redis set of ids per account, each session carrying when and from where it was opened
and last used) through which a session is listed and ended."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import json
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

import redis.asyncio as aioredis
from congvu.inspect.actor import SESSION_REUSE_TTL
from congvu.inspect.embedded_redis import EmbeddedRedis
from congvu.inspect.settings import Settings
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
# Where the app keeps sessions in its Redis (the command line opens the same).
SESSIONS_NAMESPACE = "congvu:sessions"
# The sessions this process read from Redis in the last second, by id (their stored
# bytes). See RotatingSessionBackend.
recent_sessions: TtlCache[str, bytes] = TtlCache(SESSION_REUSE_TTL)
# A signed-in session's "last seen" is written at most this often (seconds): each
# write is a second round trip to Redis for that request.
SEEN_EVERY = 300
# The wall clock of "opened" and "last seen" (a test steps it).
clock: Callable[[], float] = time.time
# The registry of an account's sessions: a Redis set of session ids per account.
_REGISTRY = "of-account:"


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

    A signed-in session is enlisted in its account's registry when written, gets its
    opening time, address and browser then, and its "last seen" at most every
    ``SEEN_EVERY`` seconds; an existing session is written back only if it still
    exists, and a rotated or cleared one's old id is deleted.
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
                return _seen(self.deserialize_data(data), connection)
        return {}

    async def store_in_message(
        self,
        scope_session: ScopeSession,
        message: Message,
        connection: ASGIConnection[Any, Any, Any, Any],
    ) -> None:
        state = connection.scope.get("state", {})
        loaded = state.get(_LOADED_SESSION)
        rotating = bool(state.get("rotate_session"))
        store = cast("SessionStore", self.config.get_store_from_app(connection.scope["app"]))
        cookie_id = connection.cookies.get(self.config.key, "")
        if scope_session is not Empty:
            _stamp_new(scope_session, connection)
        if (
            loaded is None
            or scope_session is Empty
            or rotating
            or self.serialize_data(scope_session, connection.scope) != loaded
        ):
            recent_sessions.forget(cookie_id)
            recent_sessions.forget(self.get_session_id(connection))
            old_user = _user_of(self.deserialize_data(loaded)) if loaded is not None else None
            if loaded is not None and (rotating or scope_session is Empty):
                # The old id ends with its session: a copied cookie opens nothing.
                await store.end(old_user, cookie_id)
            if loaded is not None and scope_session is not Empty and not rotating:
                await self._rewrite(scope_session, message, connection, store)
                return
            await super().store_in_message(scope_session, message, connection)
            if scope_session is not Empty and (user := _user_of(scope_session)) is not None:
                await store.register(user, self.get_session_id(connection))
            return
        # The cookie's own max-age slides with the stored session, as before.
        header = self._cookie_header(self.get_session_id(connection))
        MutableScopeHeaders.from_message(message).add("Set-Cookie", header)

    async def _rewrite(
        self,
        scope_session: ScopeSession,
        message: Message,
        connection: ASGIConnection[Any, Any, Any, Any],
        store: SessionStore,
    ) -> None:
        """Write a changed session back only if it still exists: a request racing
        "end this session" from an administrator must not bring it back."""
        session_id = self.get_session_id(connection)
        expires_in = int(self.config.max_age) if self.config.max_age is not None else None
        data = self.serialize_data(scope_session, connection.scope)
        headers = MutableScopeHeaders.from_message(message)
        if await store.replace(session_id, data, expires_in):
            headers.add("Set-Cookie", self._cookie_header(session_id))
            # Idempotent; also enlists a session signed in before there was a registry.
            if (user := _user_of(scope_session)) is not None:
                await store.register(user, session_id)
            return
        params = dict(
            extract_dataclass_items(self.config, exclude_none=True, include=Cookie.__dict__.keys())
        )
        ended = Cookie(value="null", key=self.config.key, expires=0, **params)
        headers.add("Set-Cookie", ended.to_header(header=""))

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


def _user_of(session: Any) -> int | None:
    """The account a session is signed in as (the key the sign-in sets), if any."""
    user = session.get("user_id") if isinstance(session, dict) else None
    return user if isinstance(user, int) else None


def _client(connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Any]:
    return {
        "ip": connection.client.host if connection.client else None,
        "agent": connection.headers.get("user-agent", "")[:300],
    }


def _stamp_new(session: Any, connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    """A session signed in by this request gets its opening time, address and
    browser, for the account's list of sessions."""
    if _user_of(session) is not None and "since" not in session:
        now = int(clock())
        session.update({"since": now, "seen": now, **_client(connection)})


def _seen(
    session: dict[str, Any], connection: ASGIConnection[Any, Any, Any, Any]
) -> dict[str, Any]:
    """Note when (and from where) a signed-in session was last used, at most every
    ``SEEN_EVERY`` seconds; the changed session is written back with the response."""
    if _user_of(session) is not None and "since" in session:
        now = int(clock())
        if now - int(session.get("seen") or 0) >= SEEN_EVERY:
            session.update({"seen": now, "ip": _client(connection)["ip"]})
    return session


def handle_of(session_id: str) -> str:
    """What a page names a session by: never its id, which is the key to it."""
    return hashlib.sha256(session_id.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class LiveSession:
    """One live session of an account, as its registry lists it."""

    handle: str
    session_id: str
    since: int
    seen: int
    ip: str | None
    agent: str
    # The stamp of the password it was opened with (see the organisation's accounts).
    stamp: str


def store_of(app: Any) -> SessionStore:
    """The app's session store."""
    return cast("SessionStore", app.stores.get("sessions"))


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

    async def replace(self, key: str, value: bytes, expires_in: int | None) -> bool:
        """Set a session only if it is still there (SET XX); False when it has ended."""
        return bool(await self._redis.set(self._make_key(key), value, ex=expires_in, xx=True))

    async def register(self, user_id: int, session_id: str) -> None:
        """Add a signed-in session to its account's registry (phiên đăng nhập của tài
        khoản). Ids of sessions that expired meanwhile are pruned when listed."""
        await cast(
            "Awaitable[int]", self._redis.sadd(self._make_key(f"{_REGISTRY}{user_id}"), session_id)
        )

    async def sessions_of(self, user_id: int) -> list[LiveSession]:
        """The account's live sessions, the latest used first; pruned of ended ones."""
        registry = self._make_key(f"{_REGISTRY}{user_id}")
        ids = sorted(
            i.decode() if isinstance(i, bytes) else str(i)
            for i in await cast("Awaitable[set[bytes]]", self._redis.smembers(registry))
        )
        values = await self._redis.mget([self._make_key(i) for i in ids]) if ids else []
        live, gone = [], []
        for session_id, raw in zip(ids, values, strict=True):
            data = json.loads(raw) if raw is not None else None
            if not isinstance(data, dict) or _user_of(data) != user_id:
                gone.append(session_id)
                continue
            live.append(
                LiveSession(
                    handle=handle_of(session_id),
                    session_id=session_id,
                    since=int(data.get("since") or 0),
                    seen=int(data.get("seen") or data.get("since") or 0),
                    ip=data.get("ip"),
                    agent=str(data.get("agent") or ""),
                    stamp=str(data.get("stamp") or ""),
                )
            )
        if gone:
            await cast("Awaitable[int]", self._redis.srem(registry, *gone))
        return sorted(live, key=lambda s: (-s.seen, s.handle))

    async def end(self, user_id: int | None, session_id: str) -> None:
        """End a session now: the next request with its cookie is not signed in (in
        this process at once, in others within ``SESSION_REUSE_TTL``)."""
        if not session_id:
            return
        await self.delete(session_id)
        recent_sessions.forget(session_id)
        if user_id is not None:
            await cast(
                "Awaitable[int]",
                self._redis.srem(self._make_key(f"{_REGISTRY}{user_id}"), session_id),
            )


async def _answers(url: str) -> bool:
    client = aioredis.Redis.from_url(url)
    try:
        return bool(await client.ping())
    except (aioredis.ConnectionError, FileNotFoundError, OSError):
        return False
    finally:
        await client.aclose()


@contextlib.asynccontextmanager
async def store_for(settings: Settings) -> AsyncIterator[SessionStore]:
    """The app's session store, opened from another process (the command line): the
    Redis of the settings. In embedded mode, the running app's server on its socket;
    when no app runs, the embedded server is started for the while, because its
    snapshot brings the sessions back at the app's next start."""
    embedded: EmbeddedRedis | None = None
    if settings.redis_url:
        url = settings.redis_url
    else:
        url = EmbeddedRedis(settings.var_dir).url
        if not await _answers(url):
            embedded = EmbeddedRedis(settings.var_dir)
            await asyncio.to_thread(embedded.start)
    client = aioredis.Redis.from_url(url)
    try:
        yield SessionStore(client, namespace=SESSIONS_NAMESPACE)
    finally:
        await client.aclose()
        if embedded is not None:
            # Stopping saves the snapshot, without the sessions just ended.
            await asyncio.to_thread(embedded.stop)
