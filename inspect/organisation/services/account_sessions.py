"""Phiên đăng nhập của một tài khoản: the live sessions of an account (opened, last
used, address, browser), ending one of them or all of them. The sessions themselves
live in the session store (congvu.inspect.web.sessions); ending one deletes it there,
so the next request with its cookie is not signed in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.errors import NotFound
from congvu.inspect.organisation.services.accounts import password_stamp, session_actors
from congvu.inspect.organisation.services.devices import browser_and_system
from congvu.inspect.organisation.tables import User
from congvu.inspect.web.sessions import SessionStore


@dataclass(frozen=True)
class SessionView:
    handle: str
    opened_at: datetime
    seen_at: datetime
    ip: str | None
    browser: str
    current: bool


def browser_label(user_agent: str) -> str:
    """ "Chrome trên Android": the browser and its system, for a person to recognise."""
    browser, system = browser_and_system(user_agent)
    return f"{browser} trên {system}" if system else browser


async def sessions_of(
    store: SessionStore, user_id: int, current_id: str | None = None
) -> list[SessionView]:
    """The account's live sessions, the latest used first; ``current`` marks the one
    of the request asking. Sessions opened under an older password are ended here:
    they could not sign in any more, and must not be listed as open."""
    row = await User.select(User.password_hash).where(User.id == user_id).first()
    stamp = password_stamp(row["password_hash"]) if row else ""
    live_ones = []
    for live in await store.sessions_of(user_id):
        if live.stamp == stamp:
            live_ones.append(live)
        else:
            await store.end(user_id, live.session_id)
    return [
        SessionView(
            handle=live.handle,
            opened_at=datetime.fromtimestamp(live.since, UTC),
            seen_at=datetime.fromtimestamp(live.seen, UTC),
            ip=live.ip,
            browser=browser_label(live.agent),
            current=live.session_id == current_id,
        )
        for live in live_ones
    ]


async def end_session(
    store: SessionStore,
    user_id: int,
    handle: str,
    actor: Actor,
    ip: str | None = None,
) -> None:
    """End one session of an account (its owner, or an administrator), audited.
    NotFound when the account has no such live session."""
    live = next((s for s in await store.sessions_of(user_id) if s.handle == handle), None)
    if live is None:
        raise NotFound("Không tìm thấy phiên đăng nhập này (có thể đã kết thúc).")
    await store.end(user_id, live.session_id)
    session_actors.forget(user_id)
    await audit.record(
        "session_ended",
        "account",
        user_id,
        actor=actor,
        before={"session": handle, "browser": browser_label(live.agent), "ip": live.ip},
        reason=f"{actor.display_name} kết thúc một phiên đăng nhập của tài khoản.",
        ip=ip,
    )


async def end_all(store: SessionStore | None, user_id: int, keep: str | None = None) -> int:
    """End every session of an account but ``keep`` (the asking one, if given);
    returns how many ended. The caller audits the decision that led here. Without a
    store (the command line) sessions still end at their next request where the
    account's state forbids them (disabled, new password)."""
    ended = 0
    if store is not None:
        for live in await store.sessions_of(user_id):
            if live.session_id != keep:
                await store.end(user_id, live.session_id)
                ended += 1
    session_actors.forget(user_id)
    return ended


async def end_every_session(
    store: SessionStore,
    user_id: int,
    actor: Actor,
    keep: str | None = None,
    ip: str | None = None,
) -> int:
    """ "Đăng xuất mọi nơi khác": end the account's sessions but ``keep`` (the asking
    one), audited; returns how many ended."""
    ended = await end_all(store, user_id, keep=keep)
    await audit.record(
        "sessions_ended",
        "account",
        user_id,
        actor=actor,
        after={"ended": ended},
        reason=f"{actor.display_name} kết thúc {ended} phiên đăng nhập của tài khoản.",
        ip=ip,
    )
    return ended
