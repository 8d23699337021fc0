"""Values typed into forms and query strings, read as text by every domain alike: an empty
select sends ``name=``, which means "any", never an error."""

from __future__ import annotations

from datetime import date

from congvu.inspect.errors import Invalid


def blank_as_none(value: str | None) -> str | None:
    """The value stripped, or None when nothing was typed or chosen."""
    text = (value or "").strip()
    return text or None


def optional_number(value: str | None, name: str, message: str) -> int | None:
    """A whole number, None when blank; anything else is ``Invalid`` on ``name``."""
    text = blank_as_none(value)
    if text is None:
        return None
    if not text.isdigit():
        raise Invalid(message, field=name)
    return int(text)


def typed_day(value: str) -> date:
    """A date as people type it, dd/mm/yyyy (a text field reads the same whatever the
    browser's language); yyyy-mm-dd is still accepted from scripts and older pages.
    ``ValueError`` for anything else."""
    text = value.strip()
    if "/" in text:
        d, m, y = (int(part) for part in text.split("/"))
        return date(y, m, d)
    return date.fromisoformat(text)
