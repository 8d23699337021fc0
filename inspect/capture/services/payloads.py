"""What the tablet sends (msgspec structs, unknown fields refused) and how its values
are read: payloads, ISO moments, HH:MM clock times; and how moments are written back."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from typing import Annotated, Any, Literal, TypeVar, overload

import msgspec
from congvu.inspect import clock
from congvu.inspect.errors import Invalid
from congvu.inspect.web.params import MAX_ID

# Sizes of what a tablet sends, refused beyond with 400 naming the field. Free text is
# typed on a tablet during a visit: a finding's facts are a few sentences, read back in
# the minutes (biên bản) and on the head's review page; 4,000 characters is two printed
# pages, far beyond any real note, and keeps one record (and a batch's one statement)
# small. Names and places are one line; a moment is an ISO string.
FACTS_CHARS = 4_000
REASON_CHARS = 2_000
LINE_CHARS = 300
MOMENT_CHARS = 40
CODE_CHARS = 64
PHOTOS_PER_FINDING = 50
# A finger signature: its PNG is refused beyond 512 KB once decoded (signatures.py);
# this is that limit in base64, checked before decoding.
SIGNATURE_CHARS = 700_000
FIRST_YEAR, LAST_YEAR = 1900, 2999

Id = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]
Moment = Annotated[str, msgspec.Meta(max_length=MOMENT_CHARS)]
Line = Annotated[str, msgspec.Meta(max_length=LINE_CHARS)]
Sha256 = Annotated[str, msgspec.Meta(max_length=64)]


class StartPayload(msgspec.Struct, forbid_unknown_fields=True):
    started_at: Moment
    place: Line
    latitude: float | None = None
    longitude: float | None = None
    accuracy_m: float | None = None
    off_hours_reason: str | None = None


class AttendancePayload(msgspec.Struct, forbid_unknown_fields=True):
    official_id: Id
    status: Literal["present", "late", "absent", "away"]
    observed_at: Moment
    arrival_time: Moment | None = None
    left_time: Moment | None = None
    away_kind: Literal["leave", "business_trip"] | None = None
    reason: Annotated[str, msgspec.Meta(max_length=REASON_CHARS)] | None = None


class FindingPayload(msgspec.Struct, forbid_unknown_fields=True):
    observed_at: Moment
    official_id: Id | None = None
    violation_code: Annotated[str, msgspec.Meta(max_length=CODE_CHARS)] | None = None
    facts: Annotated[str, msgspec.Meta(max_length=FACTS_CHARS)] = ""
    evidence: Annotated[list[Sha256], msgspec.Meta(max_length=PHOTOS_PER_FINDING)] = msgspec.field(
        default_factory=list
    )


class FindingWithdrawalPayload(msgspec.Struct, forbid_unknown_fields=True):
    reason: Line


class SignaturePayload(msgspec.Struct, forbid_unknown_fields=True):
    role: Literal["team_lead", "unit_representative"]
    name: Line
    refused: bool = False
    witness_name: Line | None = None
    image_png_base64: Annotated[str, msgspec.Meta(max_length=SIGNATURE_CHARS)] | None = None


class SubmitPayload(msgspec.Struct, forbid_unknown_fields=True):
    # The officials the team lead saw listed as not marked and confirmed submitting
    # without (their ids); the server refuses a submit that leaves anyone else unmarked.
    unmarked_confirmed: Annotated[list[Id], msgspec.Meta(max_length=5000)] = []


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
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=clock.zone())
        # Near year 1 or 9999 the shift to UTC leaves the calendar (OverflowError).
        moment = moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise Invalid(
            f"Thời điểm không hợp lệ: {value!r} (định dạng ISO 8601).", field=field_name
        ) from None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise Invalid(f"Thời điểm phải trong các năm {FIRST_YEAR}–{LAST_YEAR}.", field=field_name)
    return moment


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
