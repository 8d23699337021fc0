"""Where a person wants their mail: the address for the daily digest of notifications,
set by the person themselves (and audited, since it decides where their data goes)."""

from __future__ import annotations

import re

from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.db import atomic
from congvu.inspect.errors import Invalid
from congvu.inspect.organisation.tables import User

# Deliberately loose (one @, a dot in the domain, no spaces): the mail server is the judge
# of an address; this only catches what is plainly not one.
_ADDRESS = re.compile(r"[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+")
MAX_ADDRESS = 254


async def own_email(actor: Actor) -> str | None:
    row = await User.select(User.email).where(User.id == actor.id).first()
    return row["email"] if row else None


async def set_own_email(actor: Actor, address: str) -> str | None:
    """Sets (or, with a blank, clears) the actor's address for the digest."""
    text = address.strip()
    if len(text) > MAX_ADDRESS or (text and not _ADDRESS.fullmatch(text)):
        raise Invalid("Địa chỉ thư điện tử không hợp lệ.", field="email")
    value = text or None
    async with atomic():
        before = await own_email(actor)
        await User.update({User.email: value}).where(User.id == actor.id)
        await audit.record(
            "email_changed",
            "account",
            actor.id,
            actor=actor,
            before={"email": before},
            after={"email": value},
        )
    return value


async def digest_addresses(user_ids: list[int]) -> dict[int, str]:
    """The address of each of ``user_ids`` who gave one and whose account is active."""
    rows = await User.select(User.id, User.email).where(
        User.id.is_in(user_ids or [0]), User.email.is_not_null(), User.active.eq(True)
    )
    return {r["id"]: r["email"] for r in rows if r["email"]}
