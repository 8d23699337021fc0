"""The RBAC matrix runs in the review world (``rw``, tests/worlds.py) with one more
account per role, all scoped to commune A (``spec.matrix_users``)."""

from __future__ import annotations

import shutil

import pytest
from congvu.inspect.settings import get_settings


@pytest.fixture(autouse=True)
def _empty_media() -> None:
    """Photos outlive the database rows between tests; start each test without them."""
    shutil.rmtree(get_settings().media_dir, ignore_errors=True)
