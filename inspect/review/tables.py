"""Review tables (giải trình, quyết định, thông báo)."""

from __future__ import annotations

import congvu.inspect.db  # noqa: F401  (sets PICCOLO_CONF before any query)
