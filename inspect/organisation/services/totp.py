"""TOTP codes (mã xác thực, RFC 6238: 30-second steps, 6 digits, SHA-1 as every
authenticator app expects) and the encryption of their secrets at rest.

The key is derived from the application secret (``CONGVU_SECRET_KEY``) with HKDF under
a label of its own, so it is never the key that signs sessions; changing that secret
makes the stored secrets unreadable, and the accounts enrol again."""

from __future__ import annotations

import base64
import functools
import hmac
from collections.abc import Iterable
from datetime import datetime

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

ISSUER = "congvu"
# ±1 step: a phone's clock a little off, or a code typed as it turned over.
DRIFT_STEPS = 1


class UnreadableSecret(Exception):
    """The stored secret was encrypted under another application secret."""


@functools.lru_cache(maxsize=4)
def _fernet(secret_key: str) -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"congvu second factor secret"
    ).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def new_secret() -> str:
    """A random base32 secret of 160 bits (RFC 4226's recommended length)."""
    return pyotp.random_base32(32)


def encrypt(secret: str, secret_key: str) -> str:
    return _fernet(secret_key).encrypt(secret.encode()).decode()


def decrypt(stored: str, secret_key: str) -> str:
    try:
        return _fernet(secret_key).decrypt(stored.encode()).decode()
    except InvalidToken as problem:
        raise UnreadableSecret from problem


def step_of(moment: datetime) -> int:
    """The 30-second time step a moment falls in."""
    return int(moment.timestamp()) // 30


def code_at(secret: str, step: int) -> str:
    return pyotp.TOTP(secret).generate_otp(step)


def matching_step(secret: str, code: str, now: datetime, after: int) -> int | None:
    """The step within drift of ``now`` whose code this is, later than ``after`` (the
    step of the code last accepted), or None: a code is good once."""
    typed = "".join(code.split())
    if len(typed) != 6 or not typed.isdigit():
        return None
    current = step_of(now)
    found = None
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        # Compare every candidate: the time taken does not tell which one matched.
        if hmac.compare_digest(code_at(secret, step), typed) and step > after:
            found = step
    return found


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG (no script, no style attribute: the CSP allows
    it as it is)."""
    return str(segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff"))


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def codes_text(codes: Iterable[str]) -> str:
    """The recovery codes as the .txt a user downloads at enrolment."""
    lines = [
        "congvu — Mã khôi phục xác thực hai lớp / second-factor recovery codes",
        "Mỗi mã dùng được một lần / each code works once.",
        "",
        *codes,
        "",
    ]
    return "\n".join(lines)
