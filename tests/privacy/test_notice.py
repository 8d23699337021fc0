"""The personal-data notice: every text it shows has an English entry, and the
retention it states is the configured one."""

from __future__ import annotations

import pytest
from congvu.inspect.i18n import EN
from congvu.inspect.privacy.api import data_kinds
from congvu.inspect.settings import SettingsError, load_settings


def test_every_text_of_the_notice_has_an_english_translation() -> None:
    missing = [t for k in data_kinds(load_settings({})) for t in k.texts() if t not in EN]
    assert not missing


def test_the_notice_states_the_configured_retention() -> None:
    settings = load_settings(
        {"CONGVU_RETAIN_PHOTOS_DAYS": "730", "CONGVU_RETAIN_SIGNATURES_DAYS": "365"}
    )
    days = {k.name: k.days for k in data_kinds(settings) if k.days is not None}
    assert days == {"Ảnh chứng cứ": 730, "Chữ ký trên biên bản": 365}
    defaults = load_settings({})
    assert (defaults.retain_photos_days, defaults.retain_signatures_days) == (1826, 1826)


@pytest.mark.parametrize("value", ["0", "-1", "năm", ""])
def test_a_retention_that_is_not_a_positive_number_of_days_is_refused(value: str) -> None:
    with pytest.raises(SettingsError, match="CONGVU_RETAIN_PHOTOS_DAYS"):
        load_settings({"CONGVU_RETAIN_PHOTOS_DAYS": value})
