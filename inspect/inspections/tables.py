"""Inspection tables (kế hoạch, cuộc kiểm tra, điểm danh, phát hiện, chứng cứ)."""

from __future__ import annotations

import congvu.inspect.db  # noqa: F401  (sets PICCOLO_CONF before any query)
