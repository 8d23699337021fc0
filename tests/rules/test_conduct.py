"""The conduct catalogue: codes other modules rely on, their severity, subject and legal basis
(rules/README.md, "Conduct catalogue": CT 05/2008/CT-TTg, CT 26/CT-TTg 2016, QĐ 129/2007/QĐ-TTg,
Luật CBCC 2025 Điều 13–14, NĐ 118/2025/NĐ-CP replacing NĐ 61/2018 on 01/07/2025)."""

from __future__ import annotations

from datetime import date
from textwrap import dedent, indent

import pytest
from congvu.rules.conduct import (
    CODES,
    UnknownViolation,
    ViolationType,
    catalogue,
    violation,
)
from congvu.rules.packs import PackError, PackRegistry, load_registry

OLD, NEW = date(2025, 6, 30), date(2025, 7, 1)

# code: (severity, subject) — severe: harassment, gambling, alcohol at work / on duty days
EXPECTED = {
    "LATE_ARRIVAL": ("minor", "person"),
    "EARLY_LEAVE": ("minor", "person"),
    "ABSENT_NO_PERMISSION": ("serious", "person"),
    "LEFT_POST": ("serious", "person"),
    "PRIVATE_BUSINESS": ("minor", "person"),
    "GAMES": ("minor", "person"),
    "NO_CARD": ("minor", "person"),
    "DRESS": ("minor", "person"),
    "SMOKING": ("minor", "person"),
    "ALCOHOL_WORKING_HOURS": ("severe", "person"),
    "ALCOHOL_LUNCH": ("serious", "person"),
    "ALCOHOL_DUTY_DAY": ("severe", "person"),
    "GAMBLING": ("severe", "person"),
    "RUDE_ATTITUDE": ("serious", "person"),
    "HARASSMENT": ("severe", "person"),
    "EXTRA_DOCUMENTS_REQUESTED": ("serious", "person"),
    "RETURNED_WITHOUT_WRITTEN_GUIDANCE": ("serious", "person"),
    "NO_APPOINTMENT_SLIP": ("serious", "either"),
    "NO_NAMEPLATE": ("minor", "unit"),
    "NO_HOTLINE_POSTED": ("minor", "unit"),
    "FACILITY_UNTIDY": ("minor", "unit"),
    "FESTIVAL_IN_HOURS": ("serious", "either"),
    "OFFICIAL_CAR_MISUSE": ("serious", "either"),
    "LATE_DOSSIER_HANDLING": ("serious", "person"),
}


@pytest.mark.parametrize("on", [OLD, NEW])
def test_every_version_has_exactly_the_shared_codes(on: date) -> None:
    assert set(catalogue(on)) == set(CODES) == set(EXPECTED)


@pytest.mark.parametrize("on", [OLD, NEW])
@pytest.mark.parametrize("code", CODES)
def test_severity_and_subject(code: str, on: date) -> None:
    item = violation(code, on)
    assert (item.severity, item.subject) == EXPECTED[code]
    assert item.for_person is (item.subject != "unit")
    assert item.for_unit is (item.subject != "person")
    assert item.legal_basis, code
    assert item.label_en and item.label_vi
    assert not item.label_vi.isascii(), f"{code}: Vietnamese label without diacritics"


@pytest.mark.parametrize("on", [OLD, NEW])
def test_labels_are_distinct(on: date) -> None:
    items = catalogue(on).values()
    assert len({i.label_vi for i in items}) == len({i.label_en for i in items}) == len(CODES)


# (code, date, a text the item must cite, a text it must not cite)
BASES = [
    ("HARASSMENT", NEW, "Luật Cán bộ, công chức số 80/2025/QH15, Điều 14", "NĐ 61/2018"),
    ("HARASSMENT", OLD, "NĐ 61/2018/NĐ-CP (sửa đổi bởi NĐ 107/2021/NĐ-CP), Điều 5", "80/2025"),
    ("RUDE_ATTITUDE", NEW, "Luật Cán bộ, công chức số 80/2025/QH15, Điều 13", "công chức 2008"),
    (
        "ABSENT_NO_PERMISSION",
        NEW,
        "Luật Cán bộ, công chức số 80/2025/QH15, Điều 14",
        "công chức 2008",
    ),
    ("EXTRA_DOCUMENTS_REQUESTED", NEW, "NĐ 118/2025/NĐ-CP, Điều 5", "61/2018"),
    ("EXTRA_DOCUMENTS_REQUESTED", OLD, "NĐ 61/2018/NĐ-CP", "118/2025"),
    ("NO_APPOINTMENT_SLIP", NEW, "NĐ 118/2025/NĐ-CP", "61/2018"),
    ("LATE_DOSSIER_HANDLING", NEW, "TT 03/2025/TT-VPCP, Phụ lục I, Mẫu 04", "01/2018"),
    ("LATE_DOSSIER_HANDLING", OLD, "TT 01/2018/TT-VPCP, Mẫu 04", "118/2025"),
    ("RETURNED_WITHOUT_WRITTEN_GUIDANCE", NEW, "NĐ 118/2025/NĐ-CP", "61/2018"),
    ("SMOKING", NEW, "CT 26/CT-TTg năm 2016", "118/2025"),
    ("ALCOHOL_LUNCH", OLD, "CT 05/2008/CT-TTg", "80/2025"),
    ("GAMES", NEW, "CT 05/2008/CT-TTg", "80/2025"),
    ("DRESS", NEW, "QĐ 129/2007/QĐ-TTg", "118/2025"),
    ("NO_NAMEPLATE", NEW, "QĐ 129/2007/QĐ-TTg", "CT 05"),
    ("LATE_ARRIVAL", NEW, "QĐ 188/1999/QĐ-TTg, Điều 1", "80/2025"),
    (
        "OFFICIAL_CAR_MISUSE",
        NEW,
        "Luật Cán bộ, công chức số 80/2025/QH15, Điều 14",
        "công chức 2008",
    ),
]


@pytest.mark.parametrize(("code", "on", "cited", "not_cited"), BASES)
def test_each_item_cites_the_text_in_force(code: str, on: date, cited: str, not_cited: str) -> None:
    ref = violation(code, on).ref
    assert cited in ref.legal_basis
    assert not_cited not in ref.legal_basis


@pytest.mark.parametrize(("on", "version"), [(OLD, "2019.1"), (NEW, "2025.1")])
def test_ref_names_the_item_and_the_catalogue_version(on: date, version: str) -> None:
    ref = violation("NO_CARD", on).ref
    assert (ref.id, ref.version) == ("conduct.NO_CARD", version)


def test_unknown_code_names_the_code_and_date() -> None:
    with pytest.raises(UnknownViolation) as error:
        violation("ALCOHOL", NEW)
    assert isinstance(error.value, KeyError)
    assert str(error.value) == (
        "unknown violation code 'ALCOHOL' in the conduct catalogue in force on 01/07/2025"
    )


def test_catalogue_is_read_only() -> None:
    with pytest.raises(TypeError):
        catalogue(NEW)["X"] = catalogue(NEW)["GAMES"]  # type: ignore[index]


def test_before_the_first_catalogue_there_is_none() -> None:
    with pytest.raises(
        LookupError, match="no rule pack for topic 'conduct' in force on 31/12/2018"
    ):
        catalogue(date(2018, 12, 31))


# --- validation of the catalogue's own entries --------------------------------------------------

ENTRY = dedent(
    """\
    GAMES:
      label: {vi: "Chơi trò chơi điện tử", en: "Games"}
      severity: minor
      subject: person
      legal_basis:
        - {document: "CT 05/2008/CT-TTg"}
    """
)


def registry_with(violations: str) -> PackRegistry:
    text = dedent(
        """\
        id: conduct
        version: "t.1"
        effective_from: 2025-07-01
        legal_basis:
          - {document: "CT 05/2008/CT-TTg"}
        label: {vi: "Danh mục", en: "Catalogue"}
        parameters:
        """
    ) + indent(violations, "  ")
    return load_registry({"conduct--t.yaml": text})


def test_an_injected_registry_is_used() -> None:
    registry = registry_with("violations:\n" + indent(ENTRY, "  "))
    item = violation("GAMES", NEW, registry)
    assert item == ViolationType(
        "GAMES", "Chơi trò chơi điện tử", "Games", "minor", "person",
        violation("GAMES", NEW, registry).legal_basis,
        "conduct", "t.1",
    )  # fmt: skip
    assert item.ref.legal_basis == "CT 05/2008/CT-TTg"


CATALOGUE_ERRORS = [
    ("no violations key", "other: 1\n", "conduct--t.yaml line 8: unknown key 'other'"),
    ("empty violations", "violations: {}\n",
     "conduct--t.yaml line 8: parameters.violations must be a non-empty"),
    ("lower-case code", "violations:\n" + indent(ENTRY.replace("GAMES", "games"), "  "),
     "conduct--t.yaml line 9: violation code 'games' must be UPPER_SNAKE_CASE"),
    ("bad severity", "violations:\n" + indent(ENTRY.replace("minor", "high"), "  "),
     "conduct--t.yaml line 11: severity 'high' is not one of minor, serious, severe"),
    ("bad subject",
     "violations:\n" + indent(ENTRY.replace("subject: person", "subject: office"), "  "),
     "conduct--t.yaml line 12: subject 'office' is not one of person, unit, either"),
    ("no legal basis",
     "violations:\n" + indent(ENTRY.split("  legal_basis")[0] + "  legal_basis: []\n", "  "),
     "conduct--t.yaml line 13: legal_basis must list at least one document"),
    ("unknown entry key", "violations:\n" + indent(ENTRY + "  fine: 100\n", "  "),
     "conduct--t.yaml line 15: unknown key 'fine'"),
    ("empty label", "violations:\n" + indent(ENTRY.replace('en: "Games"', 'en: ""'), "  "),
     "conduct--t.yaml line 10: 'en' must be a non-empty quoted text"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "body", "message"), CATALOGUE_ERRORS, ids=[c[0] for c in CATALOGUE_ERRORS]
)
def test_catalogue_errors_name_file_and_line(case: str, body: str, message: str) -> None:
    registry = registry_with(body)
    with pytest.raises(PackError) as error:
        catalogue(NEW, registry)
    assert str(error.value).startswith(message), str(error.value)
