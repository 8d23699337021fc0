"""What the tablet sends (msgspec structs, unknown fields refused) and how its values
are read: payloads, ISO moments, HH:MM clock times; and how moments are written back."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from typing import Any, Literal, TypeVar, overload

import msgspec
from congvu.inspect import clock
from congvu.inspect.errors import Invalid


class StartPayload(msgspec.Struct, forbid_unknown_fields=True):
    started_at: str
    place: str
    latitude: float | None = None
    longitude: float | None = None
    accuracy_m: float | None = None
    off_hours_reason: str | None = None


class AttendancePayload(msgspec.Struct, forbid_unknown_fields=True):
    official_id: int
    status: Literal["present", "late", "absent", "away"]
    observed_at: str
    arrival_time: str | None = None
    left_time: str | None = None
    away_kind: Literal["leave", "business_trip"] | None = None
    reason: str | None = None


class FindingPayload(msgspec.Struct, forbid_unknown_fields=True):
    observed_at: str
    official_id: int | None = None
    violation_code: str | None = None
    facts: str = ""
    evidence: list[str] = msgspec.field(default_factory=list)


class SignaturePayload(msgspec.Struct, forbid_unknown_fields=True):
    role: Literal["team_lead", "unit_representative"]
    name: str
    refused: bool = False
    witness_name: str | None = None
    image_png_base64: str | None = None


class SubmitPayload(msgspec.Struct, forbid_unknown_fields=True):
    pass


T = TypeVar("T")

_FIELD_IN_ERROR = re.compile(r"at `\$\.([A-Za-z_]+)")
_MISSING_FIELD = re.compile(r"missing required field `([A-Za-z_]+)`")
_UNKNOWN_FIELD = re.compile(r"unknown field `([A-Za-z_]+)`")


def parse_payload(payload: dict[str, Any], kind: type[T]) -> T:
    try:
        return msgspec.convert(payload, kind)
    except msgspec.ValidationError as error:
        text = str(error)
        found = (
            _FIELD_IN_ERROR.search(text)
            or _MISSING_FIELD.search(text)
            or _UNKNOWN_FIELD.search(text)
        )
        raise Invalid(
            f"Dữ liệu không hợp lệ: {text}", field=found.group(1) if found else "payload"
        ) from None


def parse_moment(value: str | None, field_name: str) -> datetime:
    """An ISO date-time; one without a zone is the unit's local time."""
    if not value:
        raise Invalid("Thiếu thời điểm.", field=field_name)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise Invalid(
            f"Thời điểm không hợp lệ: {value!r} (định dạng ISO 8601).", field=field_name
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=clock.zone())
    return moment.astimezone(UTC)


def parse_clock(value: str | None, field_name: str) -> time | None:
    if value is None:
        return None
    if not re.fullmatch(r"\d{2}:\d{2}", value):
        raise Invalid(f"Giờ phải có dạng HH:MM, nhận được {value!r}.", field=field_name)
    try:
        return time(int(value[:2]), int(value[3:]))
    except ValueError:
        raise Invalid(f"Giờ không hợp lệ: {value!r}.", field=field_name) from None


@overload
def iso(value: datetime) -> str: ...
@overload
def iso(value: datetime | None) -> str | None: ...
def iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None
