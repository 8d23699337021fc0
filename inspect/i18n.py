"""Vietnamese first, English second: messages, dates and the Vietnamese name order.

Messages are written in Vietnamese in the templates and code (``_("Đăng nhập")``);
the Vietnamese text is the message id and ``EN`` holds its English translation. A
test fails when a template uses a message that has no English entry.
"""

from __future__ import annotations

import contextvars
import unicodedata
from datetime import date, datetime, time
from importlib.resources import files
from zoneinfo import ZoneInfo

from congvu.inspect.actor import Role
from congvu.inspect.settings import LOCALES

__all__ = [
    "LOCALES",
    "current_locale",
    "format_date",
    "format_datetime",
    "format_time",
    "gettext",
    "name_sort_key",
]

current_locale: contextvars.ContextVar[str] = contextvars.ContextVar("congvu_locale", default="vi")


def gettext(message: str) -> str:
    if current_locale.get() == "en":
        return EN.get(message, message)
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


def format_date(value: date | datetime | None, zone: ZoneInfo | None = None) -> str:
    """dd/mm/yyyy, the way Vietnamese documents write dates."""
    if value is None:
        return ""
    if isinstance(value, datetime) and zone is not None and value.tzinfo is not None:
        value = value.astimezone(zone)
    return value.strftime("%d/%m/%Y")


def format_time(value: time | datetime | None) -> str:
    """HH:MM on a 24-hour clock (giờ:phút), as attendance records and plans write it."""
    return value.strftime("%H:%M") if value is not None else ""


def format_datetime(value: datetime | None, zone: ZoneInfo | None = None) -> str:
    if value is None:
        return ""
    if zone is not None and value.tzinfo is not None:
        value = value.astimezone(zone)
    return value.strftime("%d/%m/%Y %H:%M")


def format_decimal(value: float, digits: int = 1) -> str:
    """Vietnamese writes a decimal comma: 47,9 (English: 47.9)."""
    text = f"{value:.{digits}f}"
    return text if current_locale.get() == "en" else text.replace(".", ",")


# Vietnamese alphabetical order; f, j, w, z appear in foreign and ethnic-minority names.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: index for index, letter in enumerate(_ALPHABET, start=10)}
# Tone marks are compared only after the letters (thanh ngang < huyền < hỏi < ngã < sắc < nặng).
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve (ă), circumflex (â ê ô), horn (ơ ư)


def _word_key(word: str) -> tuple[str, str]:
    primary: list[str] = []
    tones: list[str] = []
    for char in word.lower():
        decomposed = unicodedata.normalize("NFD", char)
        tone = "0"
        base = ""
        for part in decomposed:
            if part in _TONES:
                tone = _TONES[part]
            else:
                base += part
        letter = unicodedata.normalize("NFC", base)
        if letter in _RANK:
            primary.append(f"{_RANK[letter]:02d}")
            tones.append(tone)
        elif letter.isalnum():
            primary.append(f"{ord(letter[0]) % 100 + 100:03d}")
            tones.append(tone)
    return "".join(primary), "".join(tones)


def fold_diacritics(text: str) -> str:
    """What a search compares: lower case, no tone or vowel marks, đ as d, single spaces,
    so "nguyen van an" and "NGUYỄN  Văn  An" meet."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def name_sort_key(full_name: str) -> str:
    """Sort key for Vietnamese personal names: given name first, then middle, then family.

    "Nguyễn Văn An" sorts before "Trần Thị Bình" because An < Bình; letters follow the
    Vietnamese alphabet (đ after d, ư after u) and tones only break ties.
    """
    words = unicodedata.normalize("NFC", full_name).split()
    if not words:
        return ""
    ordered = [words[-1], *words[1:-1], words[0]] if len(words) > 1 else words
    return _words_key(ordered)


def text_sort_key(text: str) -> str:
    """Sort key for a Vietnamese title (a unit's name): words in their order, letters in
    the Vietnamese alphabet, tones only breaking ties."""
    return _words_key(unicodedata.normalize("NFC", text).split())


def _words_key(words: list[str]) -> str:
    keys = [_word_key(word) for word in words]
    # "!" sorts before every digit, so a shorter word sorts before a longer one.
    return "!".join(k[0] for k in keys) + "!!" + "".join(k[1] for k in keys)


ROLE_LABELS = {
    Role.ADMIN: "Quản trị hệ thống",
    Role.TEAM_LEAD: "Trưởng đoàn kiểm tra",
    Role.INSPECTOR: "Thành viên đoàn kiểm tra",
    Role.UNIT_HEAD: "Thủ trưởng đơn vị",
    Role.OFFICIAL: "Công chức",
    Role.COUNCIL: "Hội đồng thi đua - khen thưởng",
    Role.REPORTER: "Cán bộ báo cáo",
    Role.PERSONNEL: "Cán bộ tổ chức",
}

CATEGORY_LABELS = {
    "can_bo": "Cán bộ",
    "cong_chuc": "Công chức",
    "vien_chuc": "Viên chức",
    "nguoi_lao_dong": "Người lao động",
    "khong_chuyen_trach": "Người hoạt động không chuyên trách",
}

UNIT_KIND_LABELS = {
    "province": "Tỉnh/Thành phố",
    "department": "Sở, ban, ngành",
    "service_centre": "Trung tâm Phục vụ hành chính công",
    "commune": "Xã/Phường/Đặc khu",
    "sub_unit": "Phòng/Bộ phận",
}

# Top navigation and home-page tasks: (path, label, roles that see it).
NAVIGATION: list[tuple[str, str, tuple[str, ...]]] = [
    ("/inspections", "Cuộc kiểm tra được giao", ("inspector", "team_lead", "admin")),
    ("/plans", "Kế hoạch kiểm tra", ("team_lead", "admin")),
    ("/units", "Đơn vị", ("admin", "team_lead", "inspector", "unit_head", "council", "reporter")),
    ("/review", "Hàng chờ xem xét", ("unit_head", "admin")),
    ("/dossiers", "Hồ sơ thủ tục hành chính", ("unit_head", "reporter", "admin", "council")),
    ("/reports", "Báo cáo quý", ("unit_head", "reporter", "admin")),
    ("/dashboard", "Bảng điều khiển", ("unit_head", "reporter", "team_lead", "admin")),
    ("/evidence", "Tài liệu kiểm chứng CCHC", ("reporter", "personnel", "unit_head", "admin")),
    ("/my-findings", "Phát hiện của tôi", ("official",)),
    ("/ratings/mine", "Xếp loại của tôi", ("official",)),
    ("/ratings", "Đánh giá, xếp loại", ("personnel", "admin")),
    ("/ratings/units", "Bảng xếp loại", ("unit_head", "council")),
    ("/council", "Hội đồng thi đua – khen thưởng", ("personnel", "admin", "council")),
    ("/discipline", "Hồ sơ kỷ luật", ("personnel", "admin")),
    ("/my-discipline", "Hồ sơ kỷ luật của tôi", ("official",)),
    ("/accounts", "Tài khoản", ("admin",)),
    ("/accounts/paused", "Tài khoản tạm dừng đăng nhập", ("admin",)),
    ("/calendar", "Lịch ngày làm việc", ("admin",)),
    ("/units/roster", "Nhập danh sách cán bộ", ("personnel", "admin")),
    ("/privacy", "Dữ liệu cá nhân", tuple(role.value for role in Role)),
]

JOB_STATUS_LABELS = {
    "queued": "Đang chờ",
    "running": "Đang chạy",
    "done": "Hoàn thành",
    "failed": "Thất bại",
}


def _domain_catalogues() -> dict[str, str]:
    """English catalogues of the domains, one YAML file each (templates/i18n/*.en.yaml)."""
    import yaml

    merged: dict[str, str] = {}
    folder = files("congvu.templates") / "i18n"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".en.yaml"):
            continue
        catalogue = yaml.safe_load(entry.read_text(encoding="utf-8")) or {}
        for vietnamese, english in catalogue.items():
            if merged.get(vietnamese, english) != english:
                raise ValueError(f"{entry.name}: conflicting translation of {vietnamese!r}")
            merged[vietnamese] = english
    return merged


EN: dict[str, str] = {
    # layout and navigation
    "Kiểm tra công vụ": "Public-service inspection",
    "Trang chủ": "Home",
    "Đơn vị": "Units",
    "Đơn vị trực thuộc": "Subordinate units",
    "Việc của tôi": "My tasks",
    "Đăng nhập": "Sign in",
    "Đăng xuất": "Sign out",
    "Menu": "Menu",
    "Điều hướng chính": "Main navigation",
    "Tên đăng nhập": "Username",
    "Mật khẩu": "Password",
    "Ngôn ngữ": "Language",
    "Chuyển sang tiếng Anh": "Switch to English",
    "Xin chào": "Hello",
    "Vai trò": "Role",
    "Phạm vi": "Scope",
    "Toàn tỉnh": "Whole province",
    "Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đang tạm khóa.": "Wrong username or password, or the account is temporarily locked.",
    "Quá nhiều lần thử. Vui lòng thử lại sau.": "Too many attempts. Please try again later.",
    # units and officials
    "Mã": "Code",
    "Tên đơn vị": "Unit name",
    "Loại": "Kind",
    "Số cán bộ": "Staff",
    "Danh sách cán bộ, công chức": "Staff list",
    "Họ và tên": "Full name",
    "Chức vụ": "Position",
    "Ngạch/Loại": "Category",
    "Vị trí": "Desk",
    "Lãnh đạo": "Leader",
    "Giờ làm việc": "Working hours",
    "Mùa": "Season",
    "Từ ngày": "From",
    "Đến ngày": "To",
    "Buổi sáng": "Morning",
    "Buổi chiều": "Afternoon",
    "Hiệu lực": "Valid",
    "Đã sáp nhập vào": "Merged into",
    "Thống kê lại": "Recompute statistics",
    # jobs
    "Công việc nền": "Background job",
    "Trạng thái": "Status",
    "Tiến độ": "Progress",
    "Kết quả": "Result",
    "Lỗi": "Error",
    "Bắt đầu": "Started",
    "Kết thúc": "Finished",
    "Đang chờ": "Queued",
    "Đang chạy": "Running",
    "Hoàn thành": "Done",
    "Thất bại": "Failed",
    # errors
    "Không tìm thấy trang": "Page not found",
    "Bạn không có quyền truy cập trang này": "You may not open this page",
    "Đã xảy ra lỗi": "Something went wrong",
    "Yêu cầu không hợp lệ": "Invalid request",
    "Về trang chủ": "Back to home",
    "Địa chỉ này không có trang nào, hoặc trang đã được chuyển đi. Hãy mở trang cần tìm từ"
    " trang chủ hoặc thanh điều hướng.": "There is no page at this address, or it has moved."
    " Open the page you need from the home page or the navigation bar.",
    "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Vui lòng tải lại trang.": "Your session expired or the form is invalid. Please reload the page.",
    # roles, categories, kinds
    **{
        vi: en
        for vi, en in [
            ("Quản trị hệ thống", "Administrator"),
            ("Trưởng đoàn kiểm tra", "Inspection team lead"),
            ("Thành viên đoàn kiểm tra", "Inspector"),
            ("Thủ trưởng đơn vị", "Head of unit"),
            ("Công chức", "Civil servant"),
            ("Hội đồng thi đua - khen thưởng", "Emulation council"),
            ("Cán bộ báo cáo", "Reporting officer"),
            ("Cán bộ tổ chức", "Personnel officer"),
            ("Cán bộ", "Cadre"),
            ("Viên chức", "Public employee"),
            ("Người lao động", "Contract worker"),
            ("Người hoạt động không chuyên trách", "Non-professional commune worker"),
            ("Tỉnh/Thành phố", "Province/City"),
            ("Sở, ban, ngành", "Department"),
            ("Trung tâm Phục vụ hành chính công", "Public administration service centre"),
            ("Xã/Phường/Đặc khu", "Commune/Ward/Special zone"),
            ("Phòng/Bộ phận", "Division"),
        ]
    },
}


def _merge_domains() -> None:
    for vietnamese, english in _domain_catalogues().items():
        if EN.get(vietnamese, english) != english:
            raise ValueError(f"templates/i18n: conflicting translation of {vietnamese!r}")
        EN[vietnamese] = english


_merge_domains()
