"""Xác thực hai lớp of an account: enrolment (a TOTP secret confirmed by a first code,
then ten recovery codes shown once), checking a code at sign-in (once only, failures
counted toward the same pause as wrong passwords), new recovery codes, and an
administrator's reset. Every step is audited."""

from __future__ import annotations

import asyncio
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from congvu.inspect.actor import SYSTEM, Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.db import atomic
from congvu.inspect.errors import Forbidden, Invalid, NotFound
from congvu.inspect.organisation.services import account_sessions, devices, pauses, totp
from congvu.inspect.organisation.services import passwords as security
from congvu.inspect.organisation.services.accounts import RequestInfo
from congvu.inspect.organisation.tables import RecoveryCode, SecondFactor, User
from congvu.inspect.settings import Settings
from congvu.inspect.web.sessions import SessionStore

log = logging.getLogger("congvu.accounts")

RECOVERY_CODES = 10
# No 0/o, 1/l/i: a code is read off paper.
_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
WRONG_CODE = "Mã xác thực không đúng hoặc đã được dùng."
# The demo administrator's TOTP secret: public on purpose, shown by the demo's sign-in
# pages (``Settings.demo``) so that the second factor can be tried without a phone.
DEMO_SECRET = "CONGVUDEMOADMINSECRETKEYTOTPABCD"
DEMO_USERNAME = "admin"


@dataclass(frozen=True)
class DemoHint:
    secret: str
    code: str


@dataclass(frozen=True)
class Enrolment:
    """What the enrolment page shows: the secret as a QR code and as typed text."""

    qr_svg: str
    grouped_secret: str


async def is_enrolled(user_id: int) -> bool:
    return await SecondFactor.exists().where(
        SecondFactor.account == user_id, SecondFactor.confirmed_at.is_not_null()
    )


async def enrolled_since(user_id: int) -> datetime | None:
    row = (
        await SecondFactor.select(SecondFactor.confirmed_at)
        .where(SecondFactor.account == user_id)
        .first()
    )
    return row["confirmed_at"] if row else None


def required(actor: Actor, settings: Settings) -> bool:
    return actor.role in settings.second_factor_roles


async def next_step(
    actor: Actor, settings: Settings, device_token: str | None, info: RequestInfo
) -> Literal["signed_in", "code", "enrol"]:
    """What a sign-in needs after the right password: nothing more, the code (an
    enrolled account on a browser it has not remembered), or enrolment (an account
    whose role requires the second factor and which has none yet)."""
    if await is_enrolled(actor.id):
        if await devices.recognised(actor.id, device_token):
            await audit.record(
                "second_factor_passed",
                "account",
                actor.id,
                actor=actor,
                after={"by": "remembered_device"},
                request_id=info.request_id,
                ip=info.ip,
            )
            return "signed_in"
        return "code"
    return "enrol" if required(actor, settings) else "signed_in"


async def start_enrolment(actor: Actor, settings: Settings) -> Enrolment:
    """The secret waiting for its first code: the same one on every visit until it is
    confirmed (a reload must not change the QR code already scanned)."""
    row = (
        await SecondFactor.select(SecondFactor.secret, SecondFactor.confirmed_at)
        .where(SecondFactor.account == actor.id)
        .first()
    )
    if row is not None and row["confirmed_at"] is not None:
        raise Invalid("Tài khoản đã bật xác thực hai lớp.", field="code")
    secret = None
    if row is not None:
        try:
            secret = totp.decrypt(row["secret"], settings.secret_key)
        except totp.UnreadableSecret:
            secret = None
    if secret is None:
        secret = totp.new_secret()
        async with atomic():
            await SecondFactor.delete().where(SecondFactor.account == actor.id)
            await SecondFactor(
                account=actor.id,
                secret=totp.encrypt(secret, settings.secret_key),
                created_at=datetime.now(UTC),
            ).save()
    uri = totp.provisioning_uri(secret, actor.username)
    return Enrolment(qr_svg=totp.qr_svg(uri), grouped_secret=totp.grouped(secret))


async def confirm_enrolment(
    actor: Actor, code: str, settings: Settings, info: RequestInfo
) -> list[str]:
    """Turn the waiting secret on with its first code; returns the recovery codes, in
    clear this once. Remembered devices of the account are revoked."""
    row = await SecondFactor.objects().where(SecondFactor.account == actor.id).first()
    if row is None or row.confirmed_at is not None:
        raise Invalid("Hãy bắt đầu lại việc bật xác thực hai lớp.", field="code")
    now = datetime.now(UTC)
    step = totp.matching_step(totp.decrypt(row.secret, settings.secret_key), code, now, 0)
    if step is None:
        raise Invalid(WRONG_CODE, field="code")
    codes = [_new_code() for _ in range(RECOVERY_CODES)]
    hashes = await asyncio.to_thread(lambda: [security.hash_password(_plain(c)) for c in codes])
    async with atomic():
        await SecondFactor.update(
            {SecondFactor.confirmed_at: now, SecondFactor.last_step: step}
        ).where(SecondFactor.id == row.id)
        await _replace_codes(actor.id, hashes)
        await devices.revoke_all(actor.id)
        await audit.record(
            "second_factor_enrolled",
            "account",
            actor.id,
            actor=actor,
            request_id=info.request_id,
            ip=info.ip,
        )
    return codes


async def check_code(
    actor: Actor, code: str, settings: Settings, info: RequestInfo
) -> bool | datetime:
    """A code at sign-in: a TOTP code of the account not used before, or one of its
    unused recovery codes (then spent). True when accepted; otherwise the failure counts
    toward the pause of sign-in under the account's name, and the answer is False, or
    the end of the pause it started."""
    now = datetime.now(UTC)
    paused = await pauses.paused_until(actor.username, now)
    if paused is not None:
        return paused
    row = await SecondFactor.objects().where(SecondFactor.account == actor.id).first()
    if row is None or row.confirmed_at is None:
        return False
    how = await _accept(row, code, settings, now)
    if how is not None:
        async with atomic():
            await pauses.clear(pauses.key_of(actor.username))
            await audit.record(
                "recovery_code_used" if how == "recovery_code" else "second_factor_passed",
                "account",
                actor.id,
                actor=actor,
                after={"by": how},
                request_id=info.request_id,
                ip=info.ip,
            )
        return True
    log.info(
        "second factor failed",
        extra={"account_id": actor.id, "ip": info.ip, "reason": "wrong code"},
    )
    async with atomic():
        pause = await pauses.count_failure(actor.username, settings, now)
        await audit.record(
            "second_factor_failed",
            "account",
            actor.id,
            actor=actor,
            after={"locked": pause is not None},
            request_id=info.request_id,
            ip=info.ip,
        )
    return pause if pause is not None else False


async def _accept(row: SecondFactor, code: str, settings: Settings, now: datetime) -> str | None:
    typed = _plain(code)
    # Six digits are a TOTP code; a recovery code has ten characters.
    if len(typed) == 6 and typed.isdigit():
        try:
            secret = totp.decrypt(row.secret, settings.secret_key)
        except totp.UnreadableSecret:
            return None
        step = totp.matching_step(secret, typed, now, row.last_step)
        if step is None:
            return None
        # Only if no other request took this step (or a later one) meanwhile.
        taken = (
            await SecondFactor.update({SecondFactor.last_step: step})
            .where(SecondFactor.id == row.id, SecondFactor.last_step < step)
            .returning(SecondFactor.id)
        )
        return "totp" if taken else None
    if len(typed) != 10 or not set(typed) <= set(_CODE_ALPHABET):
        # Not the shape of a recovery code: no argon2 check (one per unused code) for it.
        return None
    unused = await RecoveryCode.select(RecoveryCode.id, RecoveryCode.code_hash).where(
        RecoveryCode.account == row.account, RecoveryCode.used_at.is_null()
    )
    for candidate in unused:
        if await asyncio.to_thread(security.verify_password, candidate["code_hash"], typed):
            spent = (
                await RecoveryCode.update({RecoveryCode.used_at: now})
                .where(RecoveryCode.id == candidate["id"], RecoveryCode.used_at.is_null())
                .returning(RecoveryCode.id)
            )
            return "recovery_code" if spent else None
    return None


async def unused_recovery_codes(user_id: int) -> int:
    return await RecoveryCode.count().where(
        RecoveryCode.account == user_id, RecoveryCode.used_at.is_null()
    )


async def new_recovery_codes(
    actor: Actor, code: str, settings: Settings, info: RequestInfo
) -> list[str]:
    """Ten new recovery codes in place of the old ones, after a current TOTP code (a
    session left open is not enough to take the account's way back in)."""
    row = await SecondFactor.objects().where(SecondFactor.account == actor.id).first()
    if row is None or row.confirmed_at is None:
        raise Invalid("Tài khoản chưa bật xác thực hai lớp.", field="code")
    # Only a code from the app: a recovery code must not mint new ones.
    typed = _plain(code)
    if (
        not (len(typed) == 6 and typed.isdigit())
        or await _accept(row, typed, settings, datetime.now(UTC)) is None
    ):
        raise Invalid(WRONG_CODE, field="code")
    codes = [_new_code() for _ in range(RECOVERY_CODES)]
    hashes = await asyncio.to_thread(lambda: [security.hash_password(_plain(c)) for c in codes])
    async with atomic():
        await _replace_codes(actor.id, hashes)
        await audit.record(
            "recovery_codes_renewed",
            "account",
            actor.id,
            actor=actor,
            request_id=info.request_id,
            ip=info.ip,
        )
    return codes


async def reset(
    username: str,
    actor: Actor = SYSTEM,
    ip: str | None = None,
    store: SessionStore | None = None,
) -> None:
    """An administrator clears an account's second factor (a lost phone): its secret,
    recovery codes and remembered devices go, its open sessions end (a stolen phone's
    browser too), and it enrols again at its next sign-in. The command line passes the
    store it opened (``sessions.store_for``); without one the sessions are left alone.
    An account outside the administrator's unit scope is refused (Forbidden), as on the
    account page; an account without a unit is for an administrator of the whole system
    only."""
    name = username.strip()
    row = (
        await User.select(User.id, User.scope_unit.path.as_alias("unit_path"))
        .where(User.username == name)
        .first()
    )
    if row is None:
        raise NotFound(f"Không tìm thấy tài khoản {name!r}.")
    unit_path = row["unit_path"]
    if not (actor.can_see_unit_path(unit_path) if unit_path else actor.scope_path == ""):
        raise Forbidden("Tài khoản này ngoài phạm vi đơn vị của bạn.")
    user_id = row["id"]
    async with atomic():
        await SecondFactor.delete().where(SecondFactor.account == user_id)
        await RecoveryCode.delete().where(RecoveryCode.account == user_id)
        await devices.revoke_all(user_id)
        await audit.record(
            "second_factor_reset",
            "account",
            user_id,
            actor=actor,
            after={"username": name},
            reason=f"Quản trị đặt lại xác thực hai lớp cho tài khoản {name}; tài khoản "
            "sẽ đăng ký lại khi đăng nhập.",
            ip=ip,
        )
    await account_sessions.end_all(store, user_id)


def demo_hint(settings: Settings) -> DemoHint | None:
    """In demo mode, the demo administrator's secret and its code of this moment."""
    if not settings.demo:
        return None
    step = totp.step_of(datetime.now(UTC))
    return DemoHint(totp.grouped(DEMO_SECRET), totp.code_at(DEMO_SECRET, step))


async def enrol_demo_admin(settings: Settings) -> None:
    """The demo administrator enrolled with ``DEMO_SECRET`` (at every demo start: the
    secret is encrypted under this installation's key)."""
    row = await User.select(User.id).where(User.username == DEMO_USERNAME).first()
    if row is None:
        return
    stored = (
        await SecondFactor.select(SecondFactor.secret, SecondFactor.confirmed_at)
        .where(SecondFactor.account == row["id"])
        .first()
    )
    if stored is not None and stored["confirmed_at"] is not None:
        try:
            if totp.decrypt(stored["secret"], settings.secret_key) == DEMO_SECRET:
                return
        except totp.UnreadableSecret:
            pass
    now = datetime.now(UTC)
    async with atomic():
        await SecondFactor.delete().where(SecondFactor.account == row["id"])
        await SecondFactor(
            account=row["id"],
            secret=totp.encrypt(DEMO_SECRET, settings.secret_key),
            confirmed_at=now,
            created_at=now,
        ).save()


async def _replace_codes(user_id: int, hashes: list[str]) -> None:
    await RecoveryCode.delete().where(RecoveryCode.account == user_id)
    await RecoveryCode.insert(*[RecoveryCode(account=user_id, code_hash=h) for h in hashes])


def _plain(code: str) -> str:
    """A typed code without its spaces and dashes, in lower case."""
    return "".join(code.split()).lower().replace("-", "")


def _new_code() -> str:
    """Ten characters (about 50 bits), shown as two groups of five."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"
