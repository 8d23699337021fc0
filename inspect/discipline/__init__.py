"""Discipline cases (hồ sơ xử lý kỷ luật) under NĐ 172/2025: Piccolo tables, app and
migrations of this domain."""
