"""Demo personal data: so that the demo official's download (congchuc, /privacy) holds
what an official's file really holds, one of their past findings gets the photo the
team took and their giải trình with the paper they photographed, written as the record
it would have left (rows, as the demo history is), before the head's decision. Their
latest finding whose matter is over (closed or dismissed) is chosen when they have one;
otherwise their unit's latest past check gets one more finding, dismissed after the
explanation. Being over, its photos are what the retention purge would delete first."""

from __future__ import annotations

import hashlib
import io
import uuid
from datetime import datetime, timedelta

from congvu.inspect.capture import api as capture
from congvu.inspect.inspections.tables import (
    Evidence,
    Finding,
    FindingEvidence,
    Inspection,
)
from congvu.inspect.organisation import api as organisation
from congvu.inspect.organisation.tables import Official, User
from congvu.inspect.review.tables import (
    Explanation,
    ExplanationEvidence,
    FindingReview,
)
from congvu.rules.calendar import default_calendar
from congvu.rules.conduct import violation
from PIL import Image, ImageDraw

EXPLANATION = (
    "Sáng hôm đó tôi đưa con đi khám theo giấy hẹn của Trạm y tế phường (ảnh đính kèm),"
    " đã báo trưởng bộ phận từ chiều hôm trước nhưng chưa kịp ghi vào sổ theo dõi."
)


def _picture(seed: int, paper: bool) -> bytes:
    """A small JPEG drawn here (no image files in the repository): a counter with a
    name card, or a sheet of paper with lines of text."""
    image = Image.new("RGB", (480, 360), (236, 232, 224) if paper else (120, 150, 170))
    draw = ImageDraw.Draw(image)
    if paper:
        draw.rectangle((90, 30, 390, 330), fill="white", outline=(90, 90, 90))
        for line in range(12):
            y = 60 + line * 21
            draw.line((115, y, 365 - (seed * 7 + line * 13) % 90, y), fill=(60, 60, 120), width=3)
    else:
        draw.rectangle((0, 230, 480, 360), fill=(150, 110, 70))
        draw.rectangle((170, 60, 310, 230), fill=(200, 60, 50))
        draw.rectangle((200, 110, 280, 150), fill="white")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


async def _store(username: str, data: bytes, taken: datetime) -> int:
    user = await User.select(User.id).where(User.username == username).first()
    actor = await organisation.actor_for(user["id"]) if user else None
    if actor is None:
        return 0
    sha = hashlib.sha256(data).hexdigest()
    await capture.store(actor, sha, data, taken)
    row = await Evidence.select(Evidence.id).where(Evidence.sha256 == sha).first()
    return int(row["id"]) if row else 0


async def _decided_finding(official: int) -> dict[str, object] | None:
    """The official's latest finding the head closed or dismissed without a waiver."""
    return (
        await FindingReview.select(
            FindingReview.id,
            FindingReview.finding,
            FindingReview.notified_at,
            FindingReview.decided_at,
        )
        .where(
            FindingReview.finding._.official == official,
            FindingReview.decided_at.is_not_null(),
            FindingReview.state.is_in(["closed", "dismissed"]),
            FindingReview.waived_reason.is_null(),
            FindingReview.finding._.inspection.is_not_null(),
        )
        .order_by(FindingReview.decided_at, ascending=False)
        .first()
    )


async def _new_finding(official: int, unit: int) -> dict[str, object] | None:
    """One more finding on the unit's latest past check, dismissed after a giải trình."""
    check = (
        await Inspection.select(Inspection.id, Inspection.scheduled_date, Inspection.started_at)
        .where(Inspection.unit == unit, Inspection.status == "closed")
        .order_by(Inspection.scheduled_date, ascending=False)
        .first()
    )
    if check is None or check["started_at"] is None:
        return None
    day = check["scheduled_date"]
    observed = check["started_at"] + timedelta(minutes=30)
    item = violation("LATE_ARRIVAL", day)
    finding = Finding(
        client_uuid=uuid.uuid4(),
        inspection=check["id"],
        official=official,
        unit=unit,
        violation_code="LATE_ARRIVAL",
        rule_id=item.ref.id,
        rule_version=item.ref.version,
        legal_basis=item.ref.legal_basis,
        explanation_vi=item.label_vi,
        explanation_en=item.label_en,
        facts=f"Ghi nhận tại quầy: {item.label_vi.lower()}.",
        observed_at=observed,
        version_state="current",
        created_at=observed,
    )
    await finding.save()
    decided = observed + timedelta(days=12)
    review = FindingReview(
        finding=finding.id,
        state="closed",
        notified_at=observed + timedelta(days=1),
        explanation_due=default_calendar().add_working_days(day, 6),
        window_rule_id="review.EXPLANATION",
        window_rule_version="2025.1",
        decided_at=decided,
        decision_reason="Lý do giải trình chính đáng, có giấy tờ chứng minh",
        outcome="dismissed",
        closed_at=decided,
        updated_at=decided,
    )
    await review.save()
    return {
        "id": review.id,
        "finding": finding.id,
        "notified_at": review.notified_at,
        "decided_at": decided,
    }


async def seed_personal_data_demo() -> None:
    clerk = await User.select(User.id, User.official).where(User.username == "congchuc").first()
    if clerk is None or clerk["official"] is None:
        return
    official = await Official.select(Official.unit).where(Official.id == clerk["official"]).first()
    if official is None:
        return
    chosen = await _decided_finding(clerk["official"]) or await _new_finding(
        clerk["official"], official["unit"]
    )
    if chosen is None:
        return
    review_id = int(str(chosen["id"]))
    if await Explanation.exists().where(Explanation.review == review_id):
        return
    finding_id = int(str(chosen["finding"]))
    notified = chosen["notified_at"]
    assert isinstance(notified, datetime)
    scene = await _store("kiemtra", _picture(finding_id, paper=False), notified)
    if scene:
        await FindingEvidence.insert(FindingEvidence(finding=finding_id, evidence=scene))
    submitted = notified + timedelta(days=2)
    explanation = Explanation(
        review=review_id, text=EXPLANATION, submitted_by=clerk["id"], submitted_at=submitted
    )
    await explanation.save()
    paper = await _store("congchuc", _picture(finding_id, paper=True), submitted)
    if paper:
        await ExplanationEvidence.insert(
            ExplanationEvidence(explanation=explanation.id, evidence=paper)
        )
