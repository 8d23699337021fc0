"""Piccolo tables: the schema of congvu. Migrations in ``migrations/`` must match them.

Table classes are the repository: services query them directly.
"""

from __future__ import annotations

from enum import StrEnum

import congvu.inspect.db  # noqa: F401  (sets PICCOLO_CONF before any query)
from congvu.inspect.actor import Role
from piccolo.columns import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Time,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table


class UnitKind(StrEnum):
    """Cấp/loại đơn vị after the 2025 two-level local government reform: province, then
    commune, ward or special zone (rules/README.md, glossary)."""

    PROVINCE = "province"  # tỉnh / thành phố trực thuộc trung ương
    DEPARTMENT = "department"  # sở, ban, ngành
    SERVICE_CENTRE = "service_centre"  # Trung tâm Phục vụ hành chính công
    COMMUNE = "commune"  # xã / phường / đặc khu
    SUB_UNIT = "sub_unit"  # phòng, bộ phận


class CommuneType(StrEnum):
    XA = "xa"
    PHUONG = "phuong"
    DAC_KHU = "dac_khu"


class OfficialCategory(StrEnum):
    """Luật CBCC 80/2025/QH15 Art. 1 plus the groups inspections meet in practice."""

    CAN_BO = "can_bo"
    CONG_CHUC = "cong_chuc"
    VIEN_CHUC = "vien_chuc"
    NGUOI_LAO_DONG = "nguoi_lao_dong"
    KHONG_CHUYEN_TRACH = "khong_chuyen_trach"


class Gender(StrEnum):
    NAM = "nam"
    NU = "nu"


class Unit(Table):
    """Đơn vị: a node of the province → department / commune → sub-unit tree.

    ``path`` is the materialised chain of codes ("/NA/NA-SNV/") so a unit-scope check
    is one prefix comparison. Merged units keep their row with ``valid_to`` and
    ``merged_into`` so pre-01/07/2025 records still point somewhere real. A merger
    recorded ahead of its date sets ``merged_into`` and ``merges_on`` (its effective date)
    while ``valid_to`` stays empty: the unit is in force until the worker applies the
    merger on that date.
    """

    id: Serial

    code = Varchar(length=32, unique=True, index=True)
    name = Varchar(length=255)
    kind = Varchar(length=20, choices=UnitKind)
    commune_type = Varchar(length=10, choices=CommuneType, null=True, default=None)
    parent: ForeignKey[Unit] = ForeignKey(references="self", null=True, on_delete=OnDelete.restrict)
    path = Varchar(length=512, index=True)
    valid_from = Date(null=True, default=None)
    valid_to = Date(null=True, default=None)
    merged_into: ForeignKey[Unit] = ForeignKey(
        references="self", null=True, on_delete=OnDelete.set_null
    )
    merges_on = Date(null=True, default=None)


class Official(Table):
    """Cán bộ, công chức, viên chức, người lao động of a unit."""

    id: Serial

    code = Varchar(length=32, unique=True, index=True)
    full_name = Varchar(length=255)
    sort_key = Varchar(length=512, index=True)
    gender = Varchar(length=3, choices=Gender)
    birth_date = Date(null=True, default=None)
    category = Varchar(length=20, choices=OfficialCategory)
    is_leader = Boolean(default=False)
    position = Varchar(length=255)
    unit = ForeignKey(references=Unit, on_delete=OnDelete.restrict)
    # Seconded staff (e.g. at a service centre) are rated by their home unit.
    home_unit = ForeignKey(references=Unit, null=True, on_delete=OnDelete.restrict)
    desk = Varchar(length=100, null=True, default=None)
    active = Boolean(default=True)


class User(Table, tablename="account"):
    """A login. ``scope_unit`` is the root of the unit subtree the account may see."""

    id: Serial

    username = Varchar(length=64, unique=True, index=True)
    display_name = Varchar(length=255)
    password_hash = Varchar(length=255)
    role = Varchar(length=20, choices=Role)
    scope_unit = ForeignKey(references=Unit, null=True, on_delete=OnDelete.restrict)
    official = ForeignKey(references=Official, null=True, on_delete=OnDelete.set_null)
    locale = Varchar(length=5, default="vi")
    # Where the daily digest of notifications goes by mail (the person's own choice).
    email = Varchar(length=254, null=True, default=None)
    active = Boolean(default=True)
    failed_logins = Integer(default=0)
    locked_until = Timestamptz(null=True, default=None)
    last_login_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()


class SignInPause(Table, tablename="sign_in_pause"):
    """Failed sign-ins per typed username, known or not, and the pause (tạm dừng đăng
    nhập) they led to. Keyed by what was typed, so that a pause answers the same for a
    stranger's name as for a real account and reveals nothing of which accounts exist.
    A row whose window and pause are over means nothing and is deleted by a later
    failure."""

    id: Serial

    username = Varchar(length=64, unique=True, index=True)
    failures = Integer(default=0)
    window_start = Timestamptz()
    paused_until = Timestamptz(null=True, default=None)


class WorkSchedule(Table, tablename="work_schedule"):
    """Giờ làm việc of a unit for one season (UBND tỉnh announces summer/winter hours).

    Seasons are month-day ranges ("04-16".."10-15") and may wrap the year end.
    """

    id: Serial

    unit = ForeignKey(references=Unit, on_delete=OnDelete.cascade)
    name = Varchar(length=64)
    season_start = Varchar(length=5)
    season_end = Varchar(length=5)
    morning_start = Time()
    morning_end = Time()
    afternoon_start = Time()
    afternoon_end = Time()
    valid_from = Date(null=True, default=None)
    valid_to = Date(null=True, default=None)
    legal_basis = Varchar(length=255, null=True, default=None)


class SecondFactor(Table, tablename="second_factor"):
    """Xác thực hai lớp of an account: its TOTP secret (RFC 6238), encrypted under a key
    derived from the application secret. ``confirmed_at`` stays empty while enrolment
    waits for its first code. ``last_step`` is the time step of the latest code
    accepted: a code is taken once, never again inside its window."""

    id: Serial

    account = ForeignKey(references=User, unique=True, on_delete=OnDelete.cascade)
    secret = Varchar(length=255)
    confirmed_at = Timestamptz(null=True, default=None)
    last_step = Integer(default=0)
    created_at = Timestamptz()


class RecoveryCode(Table, tablename="recovery_code"):
    """Mã khôi phục: one of the ten codes shown once at enrolment, stored as an argon2
    hash, each usable once (``used_at``) in place of a TOTP code."""

    id: Serial

    account = ForeignKey(references=User, index=True, on_delete=OnDelete.cascade)
    code_hash = Varchar(length=255)
    used_at = Timestamptz(null=True, default=None)


class RememberedDevice(Table, tablename="remembered_device"):
    """Thiết bị được ghi nhớ: a browser that skips the code until ``expires_at``. It
    holds a random token in a cookie; only the token's SHA-256 is kept here (the token
    is random, so a slow hash would add nothing)."""

    id: Serial

    account = ForeignKey(references=User, index=True, on_delete=OnDelete.cascade)
    token_hash = Varchar(length=64, unique=True, index=True)
    label = Varchar(length=255)
    created_at = Timestamptz()
    expires_at = Timestamptz()
    last_used_at = Timestamptz(null=True, default=None)


class UnitName(Table, tablename="unit_name"):
    """Tên cũ của một đơn vị: the name a unit bore from ``valid_from`` to ``valid_to``
    before it was renamed, so that documents and reports of past periods keep the name
    the unit had then (``Unit.name`` is always the current one)."""

    id: Serial

    unit = ForeignKey(references=Unit, index=True, on_delete=OnDelete.cascade)
    name = Varchar(length=255)
    valid_from = Date(null=True, default=None)
    valid_to = Date()


class OfficialMove(Table, tablename="official_move"):
    """Điều động / chuyển công tác: an official's move from one unit to another on
    ``effective_date`` (a move of its own, or the sáp nhập of its unit). Records of
    earlier periods stay with ``from_unit``; ``Official.unit`` is the unit now."""

    id: Serial

    official = ForeignKey(references=Official, index=True, on_delete=OnDelete.cascade)
    from_unit = ForeignKey(references=Unit, on_delete=OnDelete.restrict)
    to_unit = ForeignKey(references=Unit, on_delete=OnDelete.restrict)
    effective_date = Date()
    reason = Varchar(length=255)
    recorded_at = Timestamptz()


class PasswordResetLink(Table, tablename="password_reset_link"):
    """Liên kết đặt mật khẩu: a one-time link an administrator hands to a person (a new
    account, a forgotten password). Only the token's SHA-256 is kept (the token is
    random, so a slow hash would add nothing); a link works once (``used_at``) and until
    ``expires_at``, and a newer link for the same account voids it (the row goes)."""

    id: Serial

    account = ForeignKey(references=User, index=True, on_delete=OnDelete.cascade)
    token_hash = Varchar(length=64, unique=True, index=True)
    created_at = Timestamptz()
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
    # Who issued it (the audit trail has the whole story; this is for the list).
    issued_by = Varchar(length=64)
