"""Seeded, realistic one-stop exports (báo cáo chi tiết hồ sơ TTHC) of any size.

Rows look like what a provincial one-stop system exports: Vietnamese headers under a
few title rows, receipt slip numbers, procedures with their processing times, handling
officials, the three channels written in several ways, dates as dd/mm/yyyy HH:MM (and,
with ``quirks``, dd/mm/yyyy, ISO, Excel serial numbers, decomposed Unicode, stray
spaces), a share resolved late, apology letters and extensions, waits for the citizen's
supplement and pauses (some still running at the export), and a small share of rows the
import must reject (a bad date, a due date before receipt, an unknown unit, a duplicate
code, a wait that ends before it starts). Vectorised with numpy so a million rows take
seconds.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from congvu.rules.calendar import default_calendar

HEADERS = [
    "STT",
    "Mã hồ sơ",
    "Tên thủ tục",
    "Lĩnh vực",
    "Đơn vị",
    "Cán bộ xử lý",
    "Kênh nộp",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày có kết quả",
    "Ngày trả",
    "Trạng thái",
    "Thư xin lỗi",
    "Gia hạn",
    "Ngày yêu cầu bổ sung",
    "Ngày nhận bổ sung",
    "Ngày tạm dừng",
    "Ngày tiếp tục",
]

# (sector, procedure, working days)
PROCEDURES: list[tuple[str, str, int]] = [
    ("Hộ tịch", "Đăng ký khai sinh", 1),
    ("Hộ tịch", "Đăng ký kết hôn", 1),
    ("Hộ tịch", "Đăng ký khai tử", 1),
    ("Hộ tịch", "Cấp bản sao trích lục hộ tịch", 1),
    ("Chứng thực", "Chứng thực bản sao từ bản chính giấy tờ, văn bản", 2),
    ("Chứng thực", "Chứng thực chữ ký trong các giấy tờ, văn bản", 2),
    ("Đất đai", "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", 10),
    ("Đất đai", "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu", 20),
    ("Đất đai", "Tách thửa hoặc hợp thửa đất", 15),
    ("Bảo trợ xã hội", "Trợ cấp xã hội hằng tháng đối với đối tượng bảo trợ xã hội", 7),
    ("Người có công", "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ", 5),
    ("Thành lập và hoạt động của hộ kinh doanh", "Đăng ký thành lập hộ kinh doanh", 3),
    ("Xây dựng", "Cấp giấy phép xây dựng nhà ở riêng lẻ", 15),
]
CHANNEL_TEXTS = {
    "direct": ["Trực tiếp", "Nộp trực tiếp", "Tại quầy"],
    "online": ["Trực tuyến", "Trực tuyến một phần", "Dịch vụ công trực tuyến toàn trình"],
    "postal": ["BCCI", "Qua dịch vụ bưu chính công ích"],
}
STATUS_DONE = "Đã trả kết quả"
STATUS_FINISHED = "Đã có kết quả"
STATUS_OPEN = "Đang giải quyết"


@dataclass
class ExportSpec:
    rows: int
    units: Sequence[str]  # what the "Đơn vị" column says (codes or names)
    officials: dict[str, list[str]] = field(default_factory=dict)  # unit text → names
    seed: int = 2026
    start: date = date(2025, 1, 2)
    end: date = date(2026, 3, 31)
    exported_at: datetime = datetime(2026, 4, 1, 8, 0)
    quirks: bool = True
    bad_rate: float = 0.002
    supplement_rate: float = 0.06  # chờ bổ sung: asked for a missing paper
    pause_rate: float = 0.015  # tạm dừng
    code_prefix: str = "H42"


@dataclass
class Export:
    frame: pd.DataFrame  # the cells, as text, with HEADERS
    bad_rows: dict[int, str]  # 0-based frame position → what is wrong


def _working_days(start: date, end: date) -> np.ndarray:
    cal = default_calendar()
    days = [start + timedelta(days=k) for k in range((end - start).days + 1)]
    return np.array([d for d in days if cal.is_working_day(d)], dtype="datetime64[D]")


def _dmy(days: np.ndarray) -> np.ndarray:
    """dd/mm/yyyy for an array of datetime64[D], through the distinct days."""
    unique, inverse = np.unique(days, return_inverse=True)
    text = np.array([pd.Timestamp(d).strftime("%d/%m/%Y") for d in unique], dtype=object)
    return text[inverse]


def _hm(minutes: np.ndarray) -> np.ndarray:
    table = np.array([f"{m // 60:02d}:{m % 60:02d}" for m in range(24 * 60)], dtype=object)
    return table[minutes]


def generate(spec: ExportSpec) -> Export:
    rng = np.random.default_rng(spec.seed)
    n = spec.rows
    work = _working_days(spec.start - timedelta(days=10), spec.end + timedelta(days=400))
    first = int(np.searchsorted(work, np.datetime64(spec.start)))
    last = int(np.searchsorted(work, np.datetime64(spec.end), side="right"))
    export_day = np.datetime64(spec.exported_at.date())

    procedure = rng.integers(0, len(PROCEDURES), n)
    term = np.array([p[2] for p in PROCEDURES])[procedure]
    channel = rng.choice(["direct", "online", "postal"], n, p=[0.55, 0.4, 0.05])
    received_idx = rng.integers(first, last, n)
    received_min = rng.integers(7 * 60 + 30, 17 * 60, n)
    due_idx = received_idx + term
    # Waits: asked for a supplement during the term, brought 1–7 working days later; a
    # pause of 2–14 days. The work resumes after them, so the result comes that much later.
    supplement = rng.random(n) < spec.supplement_rate
    supplement_idx = received_idx + rng.integers(0, np.maximum(term, 1))
    supplied_idx = supplement_idx + rng.integers(1, 8, n)
    paused = rng.random(n) < spec.pause_rate
    pause_idx = received_idx + rng.integers(1, 4, n)
    resume_idx = pause_idx + rng.integers(2, 15, n)
    waited = np.where(supplement, supplied_idx - supplement_idx, 0)
    waited += np.where(paused, resume_idx - pause_idx, 0)
    # Outcome relative to the due date, in working days.
    outcome = rng.random(n)
    finish_shift = np.where(
        outcome < 0.55,
        -rng.integers(1, 4, n),
        np.where(outcome < 0.85, 0, rng.integers(1, 8, n)),
    )
    finish_idx = np.maximum(received_idx, due_idx + finish_shift) + waited
    finish_min = rng.integers(7 * 60 + 30, 17 * 60, n)
    finished = work[finish_idx] <= export_day
    finished &= rng.random(n) > 0.03  # a few stuck dossiers stay open for months
    returned_idx = finish_idx + rng.integers(0, 3, n)
    returned = finished & (work[returned_idx] <= export_day) & (rng.random(n) < 0.9)
    late = finish_shift > 0
    apology = late & (rng.random(n) < 0.6)
    apology_idx = due_idx - rng.integers(0, 3, n)
    extended = apology & (rng.random(n) < 0.7)
    extended_idx = due_idx + rng.integers(3, 8, n)

    unit_index = rng.integers(0, len(spec.units), n)
    units = np.array(list(spec.units), dtype=object)[unit_index]
    names = np.full(n, "", dtype=object)
    for position, unit in enumerate(spec.units):
        people = spec.officials.get(unit)
        if people:
            mask = unit_index == position
            names[mask] = np.array(people, dtype=object)[rng.integers(0, len(people), mask.sum())]

    received_text = _dmy(work[received_idx]) + " " + _hm(received_min)
    due_text = _dmy(work[due_idx]) + " " + _hm(received_min)
    finished_text = np.where(finished, _dmy(work[finish_idx]) + " " + _hm(finish_min), "")
    returned_text = np.where(returned, _dmy(work[returned_idx]), "")
    apology_text = np.where(apology, _dmy(work[apology_idx]), "")
    extended_text = np.where(extended, _dmy(work[extended_idx]), "")
    # A wait that has not ended by the export has no end date yet.
    supplement &= work[supplement_idx] <= export_day
    paused &= work[pause_idx] <= export_day
    supplied = supplement & (work[supplied_idx] <= export_day)
    resumed = paused & (work[resume_idx] <= export_day)
    supplement_text = np.where(supplement, _dmy(work[supplement_idx]) + " " + _hm(received_min), "")
    supplied_text = np.where(supplied, _dmy(work[supplied_idx]), "")
    pause_text = np.where(paused, _dmy(work[pause_idx]), "")
    resume_text = np.where(resumed, _dmy(work[resume_idx]), "")
    status = np.where(returned, STATUS_DONE, np.where(finished, STATUS_FINISHED, STATUS_OPEN))
    channel_text = np.empty(n, dtype=object)
    for key, texts in CHANNEL_TEXTS.items():
        mask = channel == key
        channel_text[mask] = np.array(texts, dtype=object)[rng.integers(0, len(texts), mask.sum())]
    year = (work[received_idx].astype("datetime64[Y]").astype(int) + 1970) % 100
    serial = np.arange(1, n + 1)
    codes = np.char.add(
        np.char.add(f"000.00.{spec.code_prefix}-", (year * 10000 + 1).astype(str)),
        np.char.add("-", np.char.zfill(serial.astype(str), 7)),
    ).astype(object)

    frame = pd.DataFrame(
        {
            "STT": serial.astype(str),
            "Mã hồ sơ": codes,
            "Tên thủ tục": np.array([p[1] for p in PROCEDURES], dtype=object)[procedure],
            "Lĩnh vực": np.array([p[0] for p in PROCEDURES], dtype=object)[procedure],
            "Đơn vị": units,
            "Cán bộ xử lý": names,
            "Kênh nộp": channel_text,
            "Ngày tiếp nhận": received_text,
            "Ngày hẹn trả": due_text,
            "Ngày có kết quả": finished_text,
            "Ngày trả": returned_text,
            "Trạng thái": status,
            "Thư xin lỗi": apology_text,
            "Gia hạn": extended_text,
            "Ngày yêu cầu bổ sung": supplement_text,
            "Ngày nhận bổ sung": supplied_text,
            "Ngày tạm dừng": pause_text,
            "Ngày tiếp tục": resume_text,
        }
    )
    if spec.quirks:
        _add_quirks(frame, rng, work[received_idx], received_min)
    bad = _add_bad_rows(frame, rng, spec.bad_rate)
    return Export(frame=frame, bad_rows=bad)


def _add_quirks(
    frame: pd.DataFrame, rng: np.random.Generator, received: np.ndarray, minutes: np.ndarray
) -> None:
    n = len(frame)
    pick = rng.random((n, 5))
    # Dates without a clock time, in ISO, and as Excel serial numbers.
    plain = pick[:, 0] < 0.05
    frame.loc[plain, "Ngày tiếp nhận"] = _dmy(received[plain])
    iso = (pick[:, 0] >= 0.05) & (pick[:, 0] < 0.08)
    frame.loc[iso, "Ngày tiếp nhận"] = (
        pd.to_datetime(received[iso]) + pd.to_timedelta(minutes[iso], unit="min")
    ).strftime("%Y-%m-%dT%H:%M:%S")
    serial = (pick[:, 0] >= 0.08) & (pick[:, 0] < 0.10)
    days = (received[serial] - np.datetime64("1899-12-30")).astype(int)
    frame.loc[serial, "Ngày tiếp nhận"] = [
        f"{d + m / 1440:.6f}" for d, m in zip(days, minutes[serial], strict=True)
    ]
    # Decomposed Unicode (a Mac in the chain) and stray spaces.
    nfd = pick[:, 1] < 0.03
    for column in ("Tên thủ tục", "Cán bộ xử lý", "Lĩnh vực"):
        frame.loc[nfd, column] = [unicodedata.normalize("NFD", v) for v in frame.loc[nfd, column]]
    spaced = pick[:, 2] < 0.02
    frame.loc[spaced, "Tên thủ tục"] = "  " + frame.loc[spaced, "Tên thủ tục"] + " "


BAD_KINDS = ("date", "due_before_receipt", "unit", "duplicate", "wait_order")


def _add_bad_rows(frame: pd.DataFrame, rng: np.random.Generator, rate: float) -> dict[int, str]:
    n = len(frame)
    count = int(n * rate)
    if count == 0 or n < 10:
        return {}
    positions = np.sort(rng.choice(np.arange(5, n), count, replace=False))
    bad: dict[int, str] = {}
    for k, position in enumerate(positions):
        kind = BAD_KINDS[k % len(BAD_KINDS)]
        row = int(position)
        if kind == "date":
            frame.iat[row, frame.columns.get_loc("Ngày tiếp nhận")] = "31/02/2025 08:00"
        elif kind == "due_before_receipt":
            frame.iat[row, frame.columns.get_loc("Ngày tiếp nhận")] = "15/03/2026 08:00"
            frame.iat[row, frame.columns.get_loc("Ngày hẹn trả")] = "10/03/2026 08:00"
        elif kind == "unit":
            frame.iat[row, frame.columns.get_loc("Đơn vị")] = "KHONG-CO"
        elif kind == "wait_order":
            frame.iat[row, frame.columns.get_loc("Ngày tạm dừng")] = "20/03/2026"
            frame.iat[row, frame.columns.get_loc("Ngày tiếp tục")] = "18/03/2026"
        else:
            frame.iat[row, frame.columns.get_loc("Mã hồ sơ")] = frame.iat[
                row - 3, frame.columns.get_loc("Mã hồ sơ")
            ]
        bad[row] = kind
    # A later row may duplicate a row already marked bad: keep the first reason only.
    return bad


TITLE_ROWS = [
    "UBND TỈNH NGHỆ AN",
    "BÁO CÁO CHI TIẾT TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH",
    "",
]


def cp1258_text(text: str) -> str:
    """Vietnamese as Windows-1258 writes it: base letters (ă â ê ô ơ ư đ) precomposed,
    tone marks as separate combining characters."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + tones)
    return "".join(out)


def write_csv(
    export: Export,
    path: Path,
    *,
    encoding: str = "utf-8-sig",
    delimiter: str = ",",
    title_rows: bool = True,
) -> Path:
    frame = export.frame
    lines = TITLE_ROWS if title_rows else []
    if encoding == "cp1258":
        frame = frame.map(cp1258_text).rename(columns=cp1258_text)
        lines = [cp1258_text(line) for line in lines]
    with path.open("w", encoding=encoding, newline="", errors="strict") as handle:
        for line in lines:
            handle.write(line + "\r\n")
        frame.to_csv(handle, index=False, sep=delimiter, lineterminator="\r\n")
    return path


def write_xlsx(export: Export, path: Path, *, native_dates: bool = True) -> Path:
    """An .xlsx as exported by a one-stop system: dates as real Excel dates."""
    frame = export.frame.copy()
    if native_dates:
        for column in ("Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả"):
            parsed = pd.to_datetime(frame[column], format="%d/%m/%Y %H:%M", errors="coerce")
            frame[column] = parsed.astype(object).where(parsed.notna(), frame[column])
    with pd.ExcelWriter(path, engine="xlsxwriter", datetime_format="dd/mm/yyyy hh:mm") as writer:
        frame.to_excel(writer, index=False, startrow=len(TITLE_ROWS), sheet_name="Hồ sơ")
        sheet = writer.sheets["Hồ sơ"]
        for row, line in enumerate(TITLE_ROWS):
            if line:
                sheet.write(row, 0, line)
    return path
