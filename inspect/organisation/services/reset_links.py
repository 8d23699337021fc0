"""Liên kết đặt mật khẩu: a one-time link an administrator issues and hands over (a new
account, a forgotten password) instead of typing a password for someone. The link
works once, for ``LINK_HOURS``; only its token's hash is stored; a newer link voids
the older ones; the person sets a password under the usual policy. Audited."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from congvu.inspect.actor import Actor, Role
from congvu.inspect.audit import api as audit
from congvu.inspect.db import atomic
from congvu.inspect.errors import Invalid, NotFound
from congvu.inspect.organisation.services import credentials
from congvu.inspect.organisation.tables import PasswordResetLink, User
from congvu.inspect.settings import Settings

LINK_HOURS = 48
PATH = "/password/reset/"
EXPIRED = "Liên kết đặt mật khẩu không còn hiệu lực (đã dùng, đã hết hạn hoặc đã được thay)."


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedLink:
    path: str
    expires_at: datetime


async def issue(user_id: int, actor: Actor, ip: str | None = None) -> IssuedLink:
    """A new link for the account (its older unused links stop working); returns the
    path to show once to the administrator."""
    row = await User.select(User.username).where(User.id == user_id).first()
    if row is None:
        raise NotFound("Không tìm thấy tài khoản.")
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    expires = now + timedelta(hours=LINK_HOURS)
    async with atomic():
        voided = (
            await PasswordResetLink.delete()
            .where(PasswordResetLink.account == user_id, PasswordResetLink.used_at.is_null())
            .returning(PasswordResetLink.id)
        )
        await PasswordResetLink.insert(
            PasswordResetLink(
                account=user_id,
                token_hash=_hash(token),
                created_at=now,
                expires_at=expires,
                issued_by=actor.username,
            )
        )
        await audit.record(
            "password_link_issued",
            "account",
            user_id,
            actor=actor,
            before={"links_voided": len(voided)},
            after={"expires_at": expires.isoformat()},
            reason=f"{actor.display_name} cấp liên kết đặt mật khẩu dùng một lần cho tài "
            f"khoản {row['username']} (hiệu lực {LINK_HOURS} giờ).",
            ip=ip,
        )
    return IssuedLink(PATH + token, expires)


async def account_of(token: str) -> tuple[int, str] | None:
    """The account (id, username) a link still opens, or None."""
    row = (
        await PasswordResetLink.select(
            PasswordResetLink.account.id.as_alias("account_id"),
            PasswordResetLink.account.username.as_alias("username"),
        )
        .where(
            PasswordResetLink.token_hash == _hash(token),
            PasswordResetLink.used_at.is_null(),
            PasswordResetLink.expires_at > datetime.now(UTC),
        )
        .first()
    )
    return (row["account_id"], row["username"]) if row else None


async def use(
    token: str, new: str, confirmation: str, settings: Settings, ip: str | None = None
) -> str:
    """Set the password through a link, which is then spent; returns the username.
    Invalid (field ``new``/``confirmation``) for a password the policy refuses, and
    ``token`` for a link that no longer works."""
    found = await account_of(token)
    if found is None:
        raise Invalid(EXPIRED, field="token")
    user_id, username = found
    if new != confirmation:
        raise Invalid("Mật khẩu nhập lại không khớp.", field="confirmation")
    # Spent first, in its own statement: two submissions of one link set one password.
    spent = (
        await PasswordResetLink.update({PasswordResetLink.used_at: datetime.now(UTC)})
        .where(PasswordResetLink.token_hash == _hash(token), PasswordResetLink.used_at.is_null())
        .returning(PasswordResetLink.id)
    )
    if not spent:
        raise Invalid(EXPIRED, field="token")
    person = await User.select(User.display_name, User.role).where(User.id == user_id).first()
    assert person is not None, "the link's account (links go with their account)"
    # The person sets their own password: the audit trail names them.
    owner = Actor(
        id=user_id,
        username=username,
        display_name=person["display_name"],
        role=Role(person["role"]),
        scope_path="",
        scope_unit_id=None,
        official_id=None,
    )
    try:
        await credentials.set_password(
            user_id,
            username,
            new,
            settings,
            actor=owner,
            reason=f"Đặt mật khẩu qua liên kết dùng một lần của tài khoản {username}; mọi "
            "phiên đăng nhập trước đó của tài khoản đã kết thúc.",
            ip=ip,
        )
    except Invalid:
        # A refused password does not spend the link.
        await PasswordResetLink.update({PasswordResetLink.used_at: None}).where(
            PasswordResetLink.token_hash == _hash(token)
        )
        raise
    return username
