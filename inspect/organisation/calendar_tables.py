"""The working-day calendar's announcements (thông báo nghỉ lễ, hoán đổi ngày làm việc) an
administrator records between releases: a table of its own, beside ``tables``, because
every domain that counts working days reads it (rules/README.md, "Working-day calendar")."""

from __future__ import annotations

from enum import StrEnum

import congvu.inspect.db  # noqa: F401  (sets PICCOLO_CONF before any query)
from congvu.inspect.organisation.tables import User
from piccolo.columns import Date, ForeignKey, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table


class AnnouncementKind(StrEnum):
    DAY_OFF = "day_off"  # ngày nghỉ thêm
    SWAP = "swap"  # nghỉ một ngày, làm bù một ngày cuối tuần (swapped_day)
    CANCEL_HOLIDAY = "cancel_holiday"  # một ngày nghỉ đã có trong lịch thành ngày làm việc


class CalendarAnnouncement(Table, tablename="calendar_announcement"):
    """One announced change of the calendar, with the document that makes it; withdrawn,
    never deleted, so the calendar's revision only grows."""

    id: Serial

    day = Date()
    kind = Varchar(length=20, choices=AnnouncementKind)
    swapped_day = Date(null=True, default=None)  # the weekend day worked in exchange
    document_number = Varchar(length=100)
    document_date = Date()
    note = Text(default="")
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()
    withdrawn_at = Timestamptz(null=True, default=None)
    withdrawn_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    withdraw_reason = Text(default="")
