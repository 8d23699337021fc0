"""The ZIP of one official's personal data, written to a temporary file in a worker
thread (never on the event loop): a Vietnamese README, a machine-readable index, every
table as CSV (UTF-8 with a BOM, so Excel shows Vietnamese) and JSON, and the stored
photos and signatures copied in chunks (never a whole photo in memory), each with its
sha256 in the index. A file the media directory no longer has (purged after its
retention period, or lost) is listed as absent, never silently left out."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from congvu.inspect.privacy.services.gathering import PersonalData, Rows, StoredFile

CHUNK = 1024 * 1024

# What each table is, for the README (file name without extension → description).
TABLES: dict[str, str] = {
    "ho_so": "Hồ sơ cán bộ: họ tên, mã, giới tính, ngày sinh, ngạch/chức vụ, đơn vị",
    "tai_khoan": "Tài khoản đăng nhập gắn với cán bộ (không có mật khẩu)",
    "phat_hien": (
        "Phát hiện vi phạm về cán bộ: sự việc, quy tắc và căn cứ pháp lý, "
        "trạng thái xem xét, kết luận và biện pháp (mọi phiên bản)"
    ),
    "giai_trinh": "Bản giải trình về các phát hiện",
    "diem_danh": "Kết quả điểm danh tại các cuộc kiểm tra, với căn cứ đánh giá giờ làm việc",
    "chu_ky": "Chữ ký của cán bộ trên biên bản kiểm tra của đơn vị mình",
    "anh_chung_cu": "Ảnh chứng cứ liên quan (của phát hiện, bản giải trình, minh chứng khắc phục)",
    "phieu_danh_gia": "Phiếu đánh giá, xếp loại chất lượng (Mẫu số 01, NĐ 335/2025)",
    "khieu_nai_tru_diem": "Ý kiến không đồng ý với mức trừ điểm đề xuất",
    "sang_kien": "Sáng kiến được công nhận",
    "ket_qua_xep_loai": "Kết quả đề xuất xếp loại, thi đua theo từng phiên bản đã chốt",
    "ky_luat": "Hồ sơ xử lý kỷ luật (NĐ 172/2025): hình thức, quyết định, trạng thái",
    "ky_luat_can_cu": "Các phát hiện làm căn cứ của hồ sơ kỷ luật",
    "ky_luat_buoc": "Các bước thủ tục đã thực hiện của hồ sơ kỷ luật",
    "ky_luat_tam_hoan": "Thời gian tạm hoãn xử lý kỷ luật",
    "ky_luat_khieu_nai": "Khiếu nại quyết định kỷ luật và kết quả giải quyết",
    "nhat_ky": "Nhật ký hệ thống về hồ sơ của cán bộ: ai làm gì, lúc nào (kèm mã băm chuỗi)",
}


@dataclass(frozen=True)
class ExportHeader:
    generated_at: datetime  # aware
    generated_by: str  # the account's display name and username
    on_behalf: bool
    zone: ZoneInfo


def _csv_value(value: Any, zone: ZoneInfo) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, datetime):
        moment = value.astimezone(zone) if value.tzinfo else value
        return moment.strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)


def table_csv(rows: Rows, zone: ZoneInfo) -> bytes:
    columns: list[str] = []
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_value(row.get(c), zone) for c in columns])
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def table_json(rows: Rows) -> bytes:
    return json.dumps([_json_value(r) for r in rows], ensure_ascii=False, indent=2).encode()


def _copy(archive: zipfile.ZipFile, stored: StoredFile) -> dict[str, Any]:
    """Copy one stored file in chunks, hashing what was copied."""
    entry: dict[str, Any] = {
        "name": stored.name,
        "kind": stored.kind,
        "concerns": stored.concerns,
        "sha256": stored.sha256,
    }
    if not stored.source.is_file():
        return {**entry, "present": False, "bytes": 0}
    digest = hashlib.sha256()
    size = 0
    with stored.source.open("rb") as source, archive.open(stored.name, "w") as target:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            target.write(chunk)
            size += len(chunk)
    return {**entry, "present": True, "bytes": size, "sha256": digest.hexdigest()}


def _readme(data: PersonalData, header: ExportHeader, index: dict[str, Any]) -> str:
    p = data.profile
    at = header.generated_at.astimezone(header.zone).strftime("%d/%m/%Y %H:%M")
    lines = [
        "DỮ LIỆU CÁ NHÂN DO HỆ THỐNG KIỂM TRA CÔNG VỤ LƯU GIỮ",
        "",
        f"Chủ thể dữ liệu: {p['full_name']} (mã cán bộ {p['code']}), {p['unit.name']}",
        f"Lập lúc: {at}",
        f"Người lập: {header.generated_by}"
        + (" (cán bộ tổ chức, thay mặt chủ thể dữ liệu)" if header.on_behalf else ""),
        "Căn cứ: Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15 (quyền được biết, được truy cập",
        "và nhận bản sao dữ liệu cá nhân của mình).",
        "",
        "Mỗi bảng có hai tệp cùng nội dung: .csv (mở bằng Excel, ngày dd/mm/yyyy theo giờ",
        "Việt Nam) và .json (cho máy đọc, thời điểm theo ISO 8601). index.json liệt kê mọi",
        "tệp với mã băm SHA-256 để kiểm tra tính toàn vẹn.",
        "",
        "CÁC BẢNG (thư mục du_lieu/)",
    ]
    for name, description in TABLES.items():
        count = len(data.tables.get(name, []))
        lines.append(f"- {name}.csv / {name}.json: {description} ({count} dòng)")
    lines += ["", "TỆP ẢNH VÀ CHỮ KÝ (thư mục anh/, chu_ky/)"]
    if not index["files"]:
        lines.append("- Không có tệp nào.")
    for f in index["files"]:
        state = "" if f["present"] else " — KHÔNG CÒN TRÊN MÁY CHỦ (đã xoá hoặc bị mất)"
        kind = "Ảnh chứng cứ" if f["kind"] == "photo" else "Chữ ký"
        lines.append(f"- {f['name']}: {kind}, liên quan {f['concerns']}{state}")
        lines.append(f"  SHA-256: {f['sha256'] or '—'}")
    return "\r\n".join(lines) + "\r\n"


def write_archive(data: PersonalData, header: ExportHeader, directory: Path | None) -> Path:
    """Write the ZIP into a new temporary file (the caller removes it) and return it."""
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (returned, removed by the caller)
        prefix="du-lieu-ca-nhan-", suffix=".zip", dir=directory, delete=False
    )
    handle.close()
    path = Path(handle.name)
    try:
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            tables = []
            for name in TABLES:
                rows = data.tables.get(name, [])
                for extension, body in (
                    ("csv", table_csv(rows, header.zone)),
                    ("json", table_json(rows)),
                ):
                    member = f"du_lieu/{name}.{extension}"
                    archive.writestr(member, body)
                    tables.append(
                        {
                            "name": member,
                            "description": TABLES[name],
                            "rows": len(rows),
                            "sha256": hashlib.sha256(body).hexdigest(),
                        }
                    )
            files = [_copy(archive, stored) for stored in data.files]
            index = {
                "subject": {
                    "official_id": data.profile["id"],
                    "code": data.profile["code"],
                    "full_name": data.profile["full_name"],
                },
                "generated_at": header.generated_at.isoformat(),
                "generated_by": header.generated_by,
                "on_behalf": header.on_behalf,
                "tables": tables,
                "files": files,
            }
            archive.writestr("index.json", json.dumps(index, ensure_ascii=False, indent=2))
            archive.writestr("README.txt", _readme(data, header, index).encode("utf-8"))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path
