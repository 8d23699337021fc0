"""Thông báo xử lý dữ liệu cá nhân (Luật 91/2025/QH15): each kind of data congvu keeps
about officials, why, on what legal basis, who sees it and how long it is kept. The
retention of photos and signatures is read from the settings, so the page says what
the server is configured to do."""

from __future__ import annotations

from dataclasses import dataclass

from congvu.inspect.settings import Settings

# Kept with the record they belong to: the law that requires the record sets its term.
WITH_THE_RECORD = "Lưu cùng hồ sơ công chức theo quy định về lưu trữ hồ sơ cán bộ, công chức"


@dataclass(frozen=True)
class DataKind:
    name: str
    examples: str
    purpose: str
    basis: str
    seen_by: str
    # A message id; "{days}" in it stands for ``days`` (from the settings).
    retention: str
    days: int | None = None

    def texts(self) -> tuple[str, ...]:
        """The message ids the page translates."""
        return (self.name, self.examples, self.purpose, self.basis, self.seen_by, self.retention)


def data_kinds(settings: Settings) -> list[DataKind]:
    return [
        DataKind(
            "Hồ sơ cán bộ",
            "Họ tên, mã cán bộ, giới tính, ngày sinh, ngạch, chức vụ, đơn vị, tài khoản",
            "Xác định người được kiểm tra, đánh giá và người sử dụng hệ thống",
            "Luật Cán bộ, công chức; Luật 91/2025/QH15 (xử lý để thực hiện nhiệm vụ"
            " của cơ quan nhà nước)",
            "Cán bộ đó; thủ trưởng, cán bộ tổ chức, đoàn kiểm tra trong phạm vi đơn vị",
            WITH_THE_RECORD,
        ),
        DataKind(
            "Phát hiện, điểm danh và giải trình",
            "Sự việc, thời điểm, quy tắc và căn cứ pháp lý, kết luận, biện pháp, bản giải trình",
            "Kiểm tra công vụ và bảo đảm quyền giải trình của cán bộ",
            "Luật Cán bộ, công chức; quy định về kiểm tra công vụ",
            "Cán bộ đó; đoàn kiểm tra; thủ trưởng đơn vị xem xét",
            WITH_THE_RECORD,
        ),
        DataKind(
            "Ảnh chứng cứ",
            "Ảnh chụp tại cuộc kiểm tra, ảnh kèm giải trình, minh chứng khắc phục",
            "Chứng minh sự việc được ghi nhận",
            "Luật Cán bộ, công chức; Luật 91/2025/QH15",
            "Người chụp; cán bộ liên quan; thủ trưởng xem xét phát hiện",
            "{days} ngày kể từ khi vụ việc khép lại; không xoá khi phát hiện còn mở, đang"
            " giải trình, đang xử lý kỷ luật hoặc khiếu nại",
            settings.retain_photos_days,
        ),
        DataKind(
            "Chữ ký trên biên bản",
            "Ảnh chữ ký của trưởng đoàn và đại diện đơn vị, hoặc việc từ chối ký có người"
            " làm chứng",
            "Xác nhận biên bản kiểm tra",
            "Luật Cán bộ, công chức; quy định về kiểm tra công vụ",
            "Đoàn kiểm tra; thủ trưởng đơn vị được kiểm tra",
            "{days} ngày kể từ khi cuộc kiểm tra và các phát hiện của nó khép lại",
            settings.retain_signatures_days,
        ),
        DataKind(
            "Đánh giá, xếp loại và thi đua",
            "Phiếu tự đánh giá, phiếu của thủ trưởng, kết quả xếp loại, sáng kiến",
            "Đánh giá, xếp loại chất lượng và bình xét thi đua, khen thưởng",
            "NĐ 335/2025/NĐ-CP; NĐ 152/2025/NĐ-CP",
            "Cán bộ đó; thủ trưởng; cán bộ tổ chức; hội đồng thi đua – khen thưởng",
            WITH_THE_RECORD,
        ),
        DataKind(
            "Hồ sơ kỷ luật",
            "Hành vi, các bước thủ tục, hội đồng kỷ luật, quyết định, khiếu nại",
            "Xử lý kỷ luật theo đúng trình tự",
            "NĐ 172/2025/NĐ-CP; Luật Cán bộ, công chức",
            "Cán bộ đó; cán bộ tổ chức; người có thẩm quyền xử lý",
            WITH_THE_RECORD,
        ),
        DataKind(
            "Nhật ký hệ thống",
            "Ai xem, sửa hồ sơ nào, lúc nào; được nối chuỗi mã băm để không sửa được",
            "Bảo đảm an toàn, truy vết việc xử lý dữ liệu",
            "Luật 91/2025/QH15 (biện pháp bảo vệ dữ liệu cá nhân)",
            "Quản trị hệ thống; cán bộ đó (phần về mình, trong bản tải về)",
            "Lưu lâu dài; khi ảnh bị xoá, nhật ký giữ lại mã băm của ảnh",
        ),
    ]
