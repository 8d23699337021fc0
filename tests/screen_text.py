"""What a reader sees of a rendered page, and the check that no internal code reaches it."""

from __future__ import annotations

import html as html_lib
import re

_HIDDEN = re.compile(r"<(style|script|template)\b.*?</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_UPPER_CODE = re.compile(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b")
_SNAKE_NAME = re.compile(r"\b[a-z]+_[a-z_]+\b")


def visible_text(page: str) -> str:
    """The page's text without markup, styles and scripts, entities decoded."""
    return html_lib.unescape(_TAG.sub(" ", _HIDDEN.sub(" ", page)))


def assert_no_internal_codes(page: str) -> None:
    """No UPPER_CASE code (ABSENT_NO_PERMISSION, conduct.LATE_ARRIVAL) and no snake_case
    action or rule name (finding_viewed, working_hours) in the text a reader sees."""
    text = visible_text(page)
    assert not _UPPER_CODE.findall(text), _UPPER_CODE.findall(text)
    assert not _SNAKE_NAME.findall(text), _SNAKE_NAME.findall(text)
