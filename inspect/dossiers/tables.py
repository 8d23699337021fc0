"""Dossier tables (lô nhập, hồ sơ TTHC, ảnh chụp hạn giải quyết)."""

from __future__ import annotations

import congvu.inspect.db  # noqa: F401  (sets PICCOLO_CONF before any query)
