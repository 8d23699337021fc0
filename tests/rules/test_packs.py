"""Rule packs: the loader refuses bad files, naming the file and line to fix."""

from __future__ import annotations

from datetime import date
from textwrap import dedent

import pytest
from congvu.rules.packs import (
    Checker,
    LegalBasis,
    PackError,
    PackNotFound,
    RuleRef,
    default_registry,
    format_date,
    load_registry,
    pack_for,
    parse_pack,
    parse_yaml,
)

GOOD = dedent(
    """\
    id: working_hours
    topic: working_hours
    version: "2019.1"
    effective_from: 2019-01-01
    effective_to: 2025-06-30
    legal_basis:
      - document: "QĐ 188/1999/QĐ-TTg"
        article: "Điều 1"
      - document: "CT 05/2008/CT-TTg"
        note: "không đi muộn, về sớm"
    label: {vi: "Giờ làm việc", en: "Working hours"}
    parameters:
      grace_minutes: 0
      nested: {list: [1, 2]}
    """
)

NEWER = dedent(
    """\
    id: working_hours
    version: "2025.1"
    effective_from: 2025-07-01
    legal_basis:
      - {document: "Luật Cán bộ, công chức số 80/2025/QH15", article: "Điều 14"}
    label: {vi: "Giờ làm việc", en: "Working hours"}
    """
)


def test_it_parses_a_pack_with_its_legal_basis() -> None:
    pack = parse_pack(GOOD, "working_hours--2019-01-01.yaml")
    assert (pack.id, pack.topic, pack.version) == ("working_hours", "working_hours", "2019.1")
    assert (pack.effective_from, pack.effective_to) == (date(2019, 1, 1), date(2025, 6, 30))
    assert pack.legal_basis[1] == LegalBasis("CT 05/2008/CT-TTg", None, "không đi muộn, về sớm")
    assert (pack.label_vi, pack.label_en) == ("Giờ làm việc", "Working hours")
    assert pack.ref() == RuleRef(
        "working_hours", "2019.1", "QĐ 188/1999/QĐ-TTg, Điều 1; CT 05/2008/CT-TTg"
    )
    assert pack.validity() == "01/01/2019–30/06/2025"
    assert pack.line_of(("parameters", "grace_minutes")) == 13
    assert pack.line_of(("parameters", "nested", "list", 1)) == 14  # flow list: same line
    assert pack.line_of(("no", "such", "path")) == 1


def test_topic_defaults_to_id_and_effective_to_to_open_ended() -> None:
    pack = parse_pack(NEWER, "wh.yaml")
    assert pack.topic == "working_hours"
    assert pack.effective_to is None
    assert pack.validity() == "01/07/2025–…"
    assert dict(pack.parameters) == {}


def test_parameters_are_read_only_all_the_way_down() -> None:
    pack = parse_pack(GOOD, "wh.yaml")
    with pytest.raises(TypeError):
        pack.parameters["grace_minutes"] = 5  # type: ignore[index]
    with pytest.raises(TypeError):
        pack.parameters["nested"]["list"] = []  # type: ignore[index]
    assert pack.parameters["nested"]["list"] == (1, 2)


def test_packs_are_hashable_and_compare_by_content() -> None:
    a, b = parse_pack(GOOD, "wh.yaml"), parse_pack(GOOD, "wh.yaml")
    assert a == b and hash(a) == hash(b)
    assert len({a, b}) == 1


@pytest.mark.parametrize(
    ("basis", "cited"),
    [
        (LegalBasis("QĐ 188/1999/QĐ-TTg", "Điều 1"), "QĐ 188/1999/QĐ-TTg, Điều 1"),
        (LegalBasis("CT 05/2008/CT-TTg"), "CT 05/2008/CT-TTg"),
        (LegalBasis("CT 26/CT-TTg năm 2016", None, "note is not cited"), "CT 26/CT-TTg năm 2016"),
    ],
)
def test_legal_basis_cites_document_and_article(basis: LegalBasis, cited: str) -> None:
    assert basis.cite() == cited


@pytest.mark.parametrize(
    ("on", "covered"),
    [
        (date(2018, 12, 31), False),  # day before effective_from
        (date(2019, 1, 1), True),  # effective_from is inclusive
        (date(2025, 6, 30), True),  # effective_to is the inclusive last day
        (date(2025, 7, 1), False),  # NĐ 118/2025 and Luật CBCC 2025 take over
    ],
)
def test_covers_is_inclusive_at_both_ends(on: date, covered: bool) -> None:
    assert parse_pack(GOOD, "wh.yaml").covers(on) is covered


def _replace(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new)


# (case, yaml text, expected message: file, line and reason)
LOADER_ERRORS = [
    (
        "unknown key",
        GOOD + "grace: 5\n",
        "wh.yaml line 15: unknown key 'grace'",
    ),
    (
        "missing legal basis key",
        _replace(GOOD, "legal_basis:", "legal_basis_x:"),
        "wh.yaml line 6: unknown key 'legal_basis_x'",
    ),
    (
        "missing legal basis",
        "\n".join(
            line for line in NEWER.splitlines() if "legal_basis" not in line and "Luật" not in line
        ),
        "wh.yaml line 1: missing required key 'legal_basis' in the file",
    ),
    (
        "empty legal basis",
        _replace(
            NEWER,
            'legal_basis:\n  - {document: "Luật Cán bộ, công chức số 80/2025/QH15",'
            ' article: "Điều 14"}',
            "legal_basis: []",
        ),
        "wh.yaml line 4: legal_basis must list at least one document",
    ),
    (
        "legal basis without document",
        _replace(NEWER, "{document: ", "{doc: "),
        "wh.yaml line 5: unknown key 'doc'",
    ),
    (
        "legal basis entry is text",
        _replace(
            NEWER,
            '- {document: "Luật Cán bộ, công chức số 80/2025/QH15", article: "Điều 14"}',
            "- Luật CBCC 2025",
        ),
        "wh.yaml line 5: legal_basis.0 must be a mapping",
    ),
    (
        "empty article",
        _replace(NEWER, 'article: "Điều 14"', 'article: ""'),
        "wh.yaml line 5: 'article' must be a non-empty quoted text",
    ),
    (
        "effective_to before effective_from",
        _replace(GOOD, "effective_to: 2025-06-30", "effective_to: 2018-06-30"),
        "wh.yaml line 5: effective_to 30/06/2018 is before effective_from 01/01/2019",
    ),
    (
        "effective_from as text",
        _replace(GOOD, "effective_from: 2019-01-01", 'effective_from: "01/01/2019"'),
        "wh.yaml line 4: 'effective_from' must be a date written YYYY-MM-DD",
    ),
    (
        "effective_from with a time",
        _replace(GOOD, "effective_from: 2019-01-01", "effective_from: 2019-01-01 08:00:00"),
        "wh.yaml line 4: 'effective_from' must be a date",
    ),
    (
        "unquoted version",
        _replace(GOOD, 'version: "2019.1"', "version: 2019.10"),
        'wh.yaml line 3: version must be quoted text, e.g. version: "2025.1"',
    ),
    (
        "blank version",
        _replace(GOOD, 'version: "2019.1"', 'version: " "'),
        "wh.yaml line 3: 'version' must be a non-empty quoted text",
    ),
    (
        "bad id",
        _replace(GOOD, "id: working_hours", "id: Working Hours"),
        "wh.yaml line 1: id must be lower-case text without spaces",
    ),
    (
        "bad topic",
        _replace(GOOD, "topic: working_hours", "topic: 12"),
        "wh.yaml line 2: topic must be lower-case text without spaces",
    ),
    (
        "label without en",
        _replace(GOOD, ', en: "Working hours"', ""),
        "wh.yaml line 11: missing required key 'en' in label",
    ),
    (
        "parameters as a list",
        _replace(NEWER, "label:", "parameters: [1]\nlabel:"),
        "wh.yaml line 6: parameters must be a mapping",
    ),
    (
        "duplicate key",
        _replace(GOOD, "topic: working_hours\n", "topic: working_hours\nid: x\n"),
        "wh.yaml line 3: duplicate key 'id' (first on line 1)",
    ),
    ("not a mapping", "- just\n- a list\n", "wh.yaml line 1: the file must be a mapping"),
    ("empty file", "# nothing\n", "wh.yaml line 1: the file is empty"),
    ("broken YAML", "id: x\nlabel: {vi: a\n", "wh.yaml line 3: invalid YAML"),
    ("two documents", "id: x\n---\nid: y\n", "wh.yaml line 2: invalid YAML"),
    ("bad character", "id: \x07\n", "wh.yaml line 1: invalid YAML"),
]


@pytest.mark.parametrize(
    ("case", "text", "message"), LOADER_ERRORS, ids=[c[0] for c in LOADER_ERRORS]
)
def test_loader_errors_name_file_and_line(case: str, text: str, message: str) -> None:
    with pytest.raises(PackError) as error:
        parse_pack(text, "wh.yaml")
    assert str(error.value).startswith(message), str(error.value)


def test_overlapping_versions_of_a_topic_are_refused() -> None:
    overlapping = _replace(NEWER, "effective_from: 2025-07-01", "effective_from: 2025-06-30")
    with pytest.raises(PackError) as error:
        load_registry({"old.yaml": GOOD, "new.yaml": overlapping})
    assert str(error.value) == (
        "new.yaml line 3: validity 30/06/2025–… of working_hours 2025.1 overlaps 2019.1"
        " (01/01/2019–30/06/2025) in old.yaml"
    )


def test_an_open_ended_version_followed_by_another_overlaps() -> None:
    open_ended = _replace(GOOD, "effective_to: 2025-06-30", "effective_to: null")
    with pytest.raises(PackError, match=r"new\.yaml line 3: validity 01/07/2025–…"):
        load_registry({"old.yaml": open_ended, "new.yaml": NEWER})


def test_duplicate_id_and_version_is_refused() -> None:
    other_topic = _replace(GOOD, "topic: working_hours", "topic: other")
    with pytest.raises(
        PackError, match=r"b.yaml line 3: duplicate pack working_hours 2019.1 \(also in a.yaml\)"
    ):
        load_registry({"a.yaml": GOOD, "b.yaml": other_topic})


def test_registry_picks_the_version_in_force() -> None:
    registry = load_registry({"old.yaml": GOOD, "new.yaml": NEWER})
    assert registry.topics() == ["working_hours"]
    assert [p.version for p in registry.versions("working_hours")] == ["2019.1", "2025.1"]
    assert registry.versions("nothing") == []
    assert registry.pack_for("working_hours", date(2025, 6, 30)).version == "2019.1"
    assert registry.pack_for("working_hours", date(2025, 7, 1)).version == "2025.1"
    assert registry.get("working_hours", "2025.1").source == "new.yaml"


def test_no_pack_for_a_date_names_topic_and_date() -> None:
    registry = load_registry({"old.yaml": GOOD})
    with pytest.raises(PackNotFound) as error:
        registry.pack_for("working_hours", date(2025, 7, 1))
    assert str(error.value) == (
        "no rule pack for topic 'working_hours' in force on 01/07/2025"
        " (versions: 2019.1: 01/01/2019–30/06/2025)"
    )
    with pytest.raises(LookupError, match="in force on 31/12/2018"):
        registry.pack_for("working_hours", date(2018, 12, 31))


def test_unknown_topic_and_version_are_lookup_errors() -> None:
    registry = load_registry({"old.yaml": GOOD})
    with pytest.raises(
        PackNotFound, match="no rule pack for topic 'nope' \\(known: working_hours\\)"
    ):
        registry.pack_for("nope", date(2020, 1, 1))
    with pytest.raises(PackNotFound, match=r"no rule pack 'working_hours' version '1\.0'"):
        registry.get("working_hours", "1.0")


def test_every_shipped_pack_loads_without_overlap() -> None:
    registry = default_registry()
    assert {"working_hours", "conduct"} <= set(registry.topics())
    for topic in registry.topics():
        for pack in registry.versions(topic):
            assert pack.legal_basis, pack.source


# Which text is in force when (Luật CBCC 80/2025/QH15 from 01/07/2025; rules/README.md, "Rule
# packs: which law is in force when").
SHIPPED = [
    ("working_hours", date(2019, 1, 1), "2019.1"),
    ("working_hours", date(2025, 6, 30), "2019.1"),
    ("working_hours", date(2025, 7, 1), "2025.1"),
    ("working_hours", date(2026, 11, 21), "2025.1"),
    ("conduct", date(2025, 6, 30), "2019.1"),
    ("conduct", date(2025, 7, 1), "2025.1"),
]


@pytest.mark.parametrize(("topic", "on", "version"), SHIPPED)
def test_module_level_pack_for_uses_the_shipped_packs(topic: str, on: date, version: str) -> None:
    assert pack_for(topic, on).version == version


def test_parameter_error_points_at_the_parameter_line() -> None:
    pack = parse_pack(GOOD, "wh.yaml")
    error = pack.parameter_error(("grace_minutes",), "must be ≥ 0")
    assert str(error) == "wh.yaml line 13: parameters.grace_minutes: must be ≥ 0"


def test_checker_table_needs_a_non_empty_mapping() -> None:
    data, lines = parse_yaml("codes: {}\n", "c.yaml")
    with pytest.raises(PackError, match=r"c\.yaml line 1: codes must be a non-empty mapping"):
        Checker("c.yaml", lines).table(data["codes"], ("codes",))


def test_format_date_is_dd_mm_yyyy() -> None:
    assert format_date(date(2026, 2, 14)) == "14/02/2026"
