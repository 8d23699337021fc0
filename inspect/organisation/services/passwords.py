"""Passwords: hashing with argon2id (argon2-cffi's defaults follow RFC 9106) and the
policy a new password must meet (độ dài tối thiểu, không thuộc danh sách mật khẩu phổ
biến)."""

from __future__ import annotations

import functools
from importlib.resources import files

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()

# Verified against when the username is unknown, so a login takes as long for a
# stranger as for a real account (no username enumeration by timing).
_DUMMY_HASH = _hasher.hash("congvu-dummy-password")

# common-passwords.txt: the 10,000 most used passwords of the list Django ships
# (BSD licence), most used first, and a few common Vietnamese ones after them. Read
# from the package, never fetched.
_COMMON_FILE = "common-passwords.txt"


@functools.cache
def common_passwords() -> frozenset[str]:
    text = files("congvu.inspect.organisation").joinpath(_COMMON_FILE).read_text("utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def weakness(password: str, min_length: int) -> str | None:
    """Why a new password is refused, in Vietnamese, or None when it may be used."""
    if len(password) < min_length:
        return f"Mật khẩu phải có ít nhất {min_length} ký tự."
    if password.strip().lower() in common_passwords():
        return "Mật khẩu này quá phổ biến và dễ bị đoán. Vui lòng chọn mật khẩu khác."
    return None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
