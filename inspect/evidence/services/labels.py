"""Vietnamese names of the register's source kinds and item states, for pages and the
index sheet."""

from __future__ import annotations

from congvu.inspect.evidence.tables import SourceKind

SOURCE_LABELS: dict[str, str] = {
    SourceKind.PLAN: "Kế hoạch kiểm tra",
    SourceKind.TEAM_DECISION: "Quyết định thành lập đoàn kiểm tra",
    SourceKind.MINUTES: "Biên bản kiểm tra",
    SourceKind.HANDLING_DECISION: "Văn bản xử lý sau kiểm tra",
    SourceKind.RATING_DOCUMENT: "Văn bản đánh giá, xếp loại chất lượng",
    SourceKind.EMULATION_DOCUMENT: "Văn bản thi đua, khen thưởng",
    SourceKind.DISCIPLINE_DOCUMENT: "Văn bản xử lý kỷ luật",
    SourceKind.APOLOGY_LETTER: "Thư xin lỗi",
    SourceKind.UPLOADED: "Tải lên",
}

CHANGED = "đã thay đổi sau khi đăng ký"
MISSING = "không tìm thấy tệp"
NO_FILE = "hệ thống không lưu tệp: cần tải lên bản ký"
UNTAGGED = "Chưa gắn tiêu chí"
