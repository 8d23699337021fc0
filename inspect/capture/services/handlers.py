"""Capture at the unit (ghi nhận tại đơn vị): start, attendance, findings (and their
withdrawal), signatures, submit. Each function handles one client record inside the
caller's transaction (``congvu.inspect.capture.services.sync`` owns it, together with
the record's receipt).

Verdicts are decided by ``congvu.rules`` at capture time with the rule version in force
at the observation time, and stored with their explanation: a later change of law never
rewrites what the team recorded.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from congvu.inspect.capture.services.attendance import attendance
from congvu.inspect.capture.services.context import CaptureContext, ClientRecord
from congvu.inspect.capture.services.findings import finding
from congvu.inspect.capture.services.lifecycle import start, submit
from congvu.inspect.capture.services.records import SyncedRecord
from congvu.inspect.capture.services.signatures import signature
from congvu.inspect.capture.services.withdrawals import withdraw_finding

Handler = Callable[[CaptureContext, ClientRecord], Awaitable[SyncedRecord]]

HANDLERS: dict[str, Handler] = {
    "start": start,
    "attendance": attendance,
    "finding": finding,
    "withdrawal": withdraw_finding,
    "signature": signature,
    "submit": submit,
}
# The record types whose handler writes only through ``db.write`` and reads only
# through ``db.raw`` (the contract of ``db.one_statement``), so that a record sent alone
# is written as one statement. The others use Piccolo and need a transaction.
ONE_STATEMENT = frozenset({"finding"})
