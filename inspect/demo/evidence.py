"""Demo PAR INDEX evidence (tài liệu kiểm chứng): this year's criteria list, the documents
the demo produced registered and tagged by source, and one uploaded report filed under
two criteria, so the register page opens with counts and with criteria still lacking
evidence."""

from __future__ import annotations

from congvu.inspect import clock
from congvu.inspect.actor import SYSTEM
from congvu.inspect.evidence import api as evidence

# The smallest file that is a PDF by its first bytes; the demo needs no real content.
_REPORT = (
    b"%PDF-1.4\n% Bao cao ket qua kiem tra cong vu 6 thang dau nam\n"
    b"1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)


async def seed_evidence_demo() -> None:
    year = clock.today().year
    await evidence.register_produced(year, SYSTEM)
    await evidence.upload(
        SYSTEM,
        evidence.UploadForm(
            year=year,
            number="125/BC-SNV",
            issued_on=f"30/06/{year}",
            summary="Báo cáo kết quả kiểm tra công vụ 6 tháng đầu năm",
            criterion_ids=await evidence.criterion_ids(year, ["1.2", "4.3"]),
            file_name="bao-cao-kiem-tra-cong-vu.pdf",
            data=_REPORT,
        ),
    )
