"""Rule packs (gói quy tắc): versioned YAML files that say which legal text is in force when.

Each file in ``rules/packs/`` holds one version of one topic::

    id: working_hours
    topic: working_hours
    version: "2025.1"
    effective_from: 2025-07-01
    effective_to: null            # inclusive last day; null = still in force
    legal_basis:
      - {document: "QĐ 188/1999/QĐ-TTg", article: "Điều 1"}
    label: {vi: "Giờ làm việc", en: "Working hours"}
    parameters: {grace_minutes: 0}

Every verdict carries ``pack.ref()`` (id + version + cited legal basis), so a later change of
law adds a new file and never rewrites a past verdict.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

__all__ = [
    "Checker",
    "LegalBasis",
    "PackError",
    "PackNotFound",
    "PackRegistry",
    "RulePack",
    "RuleRef",
    "default_registry",
    "format_date",
    "load_registry",
    "pack_for",
    "package_texts",
    "parse_pack",
    "parse_yaml",
]

KeyPath = tuple[str | int, ...]

# Lower case, no spaces; dots and dashes allowed for ids like "discipline_cbcc.nd112_2020".
_ID = re.compile(r"^[a-z][a-z0-9_.\-]*$")
_REQUIRED = ("id", "version", "effective_from", "legal_basis", "label")
_OPTIONAL = ("topic", "effective_to", "parameters")
_BASIS_KEYS = ("document", "article", "note")


def format_date(d: date) -> str:
    """dd/mm/yyyy, the way Vietnamese documents write dates."""
    return d.strftime("%d/%m/%Y")


class PackError(ValueError):
    """A pack (or calendar override) file is invalid; the message names the file and line."""


class PackNotFound(LookupError):
    """No pack for the topic, the date or the (id, version) asked for."""


@dataclass(frozen=True)
class LegalBasis:
    """One cited text (căn cứ pháp lý): document number, optional article and note."""

    document: str
    article: str | None = None
    note: str | None = None

    def cite(self) -> str:
        return f"{self.document}, {self.article}" if self.article else self.document


@dataclass(frozen=True)
class RuleRef:
    """What a verdict records about the rule that produced it."""

    id: str
    version: str
    legal_basis: str


@dataclass(frozen=True)
class RulePack:
    id: str
    topic: str
    version: str
    effective_from: date
    effective_to: date | None
    legal_basis: tuple[LegalBasis, ...]
    label_vi: str
    label_en: str
    parameters: Mapping[str, Any]
    source: str
    # Line of every key / list item, so checks made later (by the module that reads the
    # parameters) can still point at the line to fix.
    lines: Mapping[KeyPath, int] = field(
        default_factory=lambda: MappingProxyType({}), compare=False, repr=False
    )

    def __hash__(self) -> int:
        # parameters is a read-only mapping (unhashable); (source, id, version) identifies a pack.
        return hash((self.source, self.id, self.version))

    def ref(self) -> RuleRef:
        return RuleRef(self.id, self.version, "; ".join(b.cite() for b in self.legal_basis))

    def covers(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def validity(self) -> str:
        end = format_date(self.effective_to) if self.effective_to else "…"
        return f"{format_date(self.effective_from)}–{end}"

    def line_of(self, path: KeyPath) -> int:
        """Line of the deepest part of ``path`` (from the document root) that exists."""
        return _line_of(self.lines, path)

    def parameter_error(self, path: KeyPath, message: str) -> PackError:
        """A PackError pointing at ``parameters.<path>``, for modules that validate parameters."""
        where = ".".join(str(p) for p in ("parameters", *path))
        line = self.line_of(("parameters", *path))
        return PackError(f"{self.source} line {line}: {where}: {message}")


# ---------------------------------------------------------------------------------------------
# YAML with line numbers


def parse_yaml(text: str, source: str) -> tuple[Any, Mapping[KeyPath, int]]:
    """Parse one YAML document; return its data and the line of every key / list item.

    Duplicate keys are an error here: plain ``yaml.safe_load`` silently keeps the last one,
    which would hide a typo in a legal text.
    """
    try:
        loader = yaml.SafeLoader(text)
    except yaml.YAMLError as exc:  # the reader refuses control characters up front
        raise PackError(f"{source} line 1: invalid YAML: {exc}") from exc
    try:
        node = loader.get_single_node()
        if node is None:
            raise PackError(f"{source} line 1: the file is empty")
        lines: dict[KeyPath, int] = {(): node.start_mark.line + 1}
        _collect_lines(node, (), lines, source)
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or exc
        raise PackError(f"{source} line {line}: invalid YAML: {problem}") from exc
    finally:
        loader.dispose()
    return data, MappingProxyType(lines)


def _collect_lines(node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int], source: str) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            sub = (*path, key)
            if sub in lines:
                raise PackError(
                    f"{source} line {key_node.start_mark.line + 1}: duplicate key '{key}'"
                    f" (first on line {lines[sub]})"
                )
            lines[sub] = key_node.start_mark.line + 1
            _collect_lines(value_node, sub, lines, source)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[(*path, i)] = item.start_mark.line + 1
            _collect_lines(item, (*path, i), lines, source)


def _line_of(lines: Mapping[KeyPath, int], path: KeyPath) -> int:
    key = tuple(p if isinstance(p, int) else str(p) for p in path)
    while key not in lines and key:
        key = key[:-1]
    return lines.get(key, 1)


class Checker:
    """Validates plain YAML data and raises PackError at the right line."""

    def __init__(self, source: str, lines: Mapping[KeyPath, int]) -> None:
        self.source = source
        self.lines = lines

    def error(self, path: KeyPath, message: str) -> PackError:
        return PackError(f"{self.source} line {_line_of(self.lines, path)}: {message}")

    def mapping(
        self, value: Any, path: KeyPath, required: Sequence[str], optional: Sequence[str] = ()
    ) -> Mapping[str, Any]:
        what = ".".join(str(p) for p in path) or "the file"
        if not isinstance(value, Mapping):
            raise self.error(path, f"{what} must be a mapping of keys to values")
        for key in value:
            if key not in required and key not in optional:
                known = ", ".join((*required, *optional))
                raise self.error((*path, key), f"unknown key '{key}' (allowed: {known})")
        for key in required:
            if key not in value:
                raise self.error(path, f"missing required key '{key}' in {what}")
        return value

    def table(self, value: Any, path: KeyPath) -> Mapping[Any, Any]:
        """A mapping with free keys (e.g. violation codes), at least one entry."""
        if not isinstance(value, Mapping) or not value:
            raise self.error(path, f"{'.'.join(str(p) for p in path)} must be a non-empty mapping")
        return value

    def text(self, value: Any, path: KeyPath, *, optional: bool = False) -> str | None:
        if value is None and optional:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.error(path, f"'{path[-1]}' must be a non-empty quoted text")
        return value.strip()

    def day(self, value: Any, path: KeyPath) -> date:
        if isinstance(value, datetime) or not isinstance(value, date):
            raise self.error(path, f"'{path[-1]}' must be a date written YYYY-MM-DD")
        return value

    def legal_basis(self, value: Any, path: KeyPath) -> tuple[LegalBasis, ...]:
        # tuple: parameters are frozen after loading (lists become tuples)
        if not isinstance(value, list | tuple) or not value:
            raise self.error(path, "legal_basis must list at least one document (căn cứ pháp lý)")
        bases = []
        for i, item in enumerate(value):
            entry = self.mapping(item, (*path, i), ("document",), ("article", "note"))
            bases.append(
                LegalBasis(
                    document=str(self.text(entry["document"], (*path, i, "document"))),
                    article=self.text(entry.get("article"), (*path, i, "article"), optional=True),
                    note=self.text(entry.get("note"), (*path, i, "note"), optional=True),
                )
            )
        return tuple(bases)


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def parse_pack(text: str, source: str) -> RulePack:
    """Parse and validate one pack file; ``source`` (the file name) appears in every error."""
    data, lines = parse_yaml(text, source)
    check = Checker(source, lines)
    doc = check.mapping(data, (), _REQUIRED, _OPTIONAL)

    ident = doc["id"]
    if not isinstance(ident, str) or not _ID.match(ident):
        raise check.error(("id",), "id must be lower-case text without spaces, e.g. working_hours")
    topic = doc.get("topic", ident)
    if not isinstance(topic, str) or not _ID.match(topic):
        raise check.error(
            ("topic",), "topic must be lower-case text without spaces, e.g. working_hours"
        )
    if not isinstance(doc["version"], str):
        # An unquoted 2025.10 would silently become the float 2025.1.
        raise check.error(("version",), 'version must be quoted text, e.g. version: "2025.1"')
    version = str(check.text(doc["version"], ("version",)))
    effective_from = check.day(doc["effective_from"], ("effective_from",))
    effective_to = doc.get("effective_to")
    if effective_to is not None:
        effective_to = check.day(effective_to, ("effective_to",))
        if effective_to < effective_from:
            raise check.error(
                ("effective_to",),
                f"effective_to {format_date(effective_to)} is before effective_from"
                f" {format_date(effective_from)}",
            )
    legal_basis = check.legal_basis(doc["legal_basis"], ("legal_basis",))
    label = check.mapping(doc["label"], ("label",), ("vi", "en"))
    parameters = doc.get("parameters")
    if parameters is None:
        parameters = {}
    if not isinstance(parameters, Mapping):
        raise check.error(("parameters",), "parameters must be a mapping of names to values")

    return RulePack(
        id=ident,
        topic=topic,
        version=version,
        effective_from=effective_from,
        effective_to=effective_to,
        legal_basis=legal_basis,
        label_vi=str(check.text(label["vi"], ("label", "vi"))),
        label_en=str(check.text(label["en"], ("label", "en"))),
        parameters=_freeze(parameters),
        source=source,
        lines=lines,
    )


# ---------------------------------------------------------------------------------------------
# Registry


class PackRegistry:
    """All packs, checked together: no duplicate (id, version), no overlapping validity."""

    def __init__(self, packs: Iterable[RulePack]) -> None:
        by_topic: dict[str, list[RulePack]] = {}
        by_key: dict[tuple[str, str], RulePack] = {}
        for pack in packs:
            key = (pack.id, pack.version)
            if key in by_key:
                raise PackError(
                    f"{pack.source} line {pack.line_of(('version',))}: duplicate pack"
                    f" {pack.id} {pack.version} (also in {by_key[key].source})"
                )
            by_key[key] = pack
            by_topic.setdefault(pack.topic, []).append(pack)
        for versions in by_topic.values():
            versions.sort(key=lambda p: p.effective_from)
            for earlier, later in itertools.pairwise(versions):
                if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
                    raise PackError(
                        f"{later.source} line {later.line_of(('effective_from',))}: validity"
                        f" {later.validity()} of {later.topic} {later.version} overlaps"
                        f" {earlier.version} ({earlier.validity()}) in {earlier.source}"
                    )
        self._by_topic = by_topic
        self._by_key = by_key

    def topics(self) -> list[str]:
        return sorted(self._by_topic)

    def versions(self, topic: str) -> list[RulePack]:
        """All versions of a topic, oldest first."""
        return list(self._by_topic.get(topic, ()))

    def pack_for(self, topic: str, on: date) -> RulePack:
        """The version of ``topic`` in force on ``on`` (văn bản có hiệu lực tại ngày đó)."""
        versions = self._by_topic.get(topic)
        if not versions:
            known = ", ".join(self.topics())
            raise PackNotFound(f"no rule pack for topic '{topic}' (known: {known})")
        for pack in versions:
            if pack.covers(on):
                return pack
        periods = ", ".join(f"{p.version}: {p.validity()}" for p in versions)
        raise PackNotFound(
            f"no rule pack for topic '{topic}' in force on {format_date(on)} (versions: {periods})"
        )

    def get(self, id: str, version: str) -> RulePack:
        try:
            return self._by_key[(id, version)]
        except KeyError:
            raise PackNotFound(f"no rule pack '{id}' version '{version}'") from None


def package_texts(folder: str) -> dict[str, str]:
    """The ``*.yaml`` files shipped in ``rules/<folder>/``, by file name.

    Located next to this module rather than through ``importlib.resources.files``:
    ``congvu.rules`` is a namespace package (no ``__init__.py``, see pyproject.toml) and on
    Python 3.11 ``files()`` rejects the placeholder path that setuptools' editable finder
    puts in a namespace package's ``__path__``. The folder is the same in wheel installs.
    """
    root = Path(__file__).parent / folder
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(root.glob("*.yaml"))}


def load_registry(texts: Mapping[str, str] | None = None) -> PackRegistry:
    """Registry from ``{file name: YAML text}``; ``None`` = the packs shipped in rules/packs."""
    if texts is None:
        texts = package_texts("packs")
    return PackRegistry(parse_pack(text, source) for source, text in texts.items())


@functools.cache
def default_registry() -> PackRegistry:
    return load_registry()


def pack_for(topic: str, on: date) -> RulePack:
    """The shipped pack for ``topic`` in force on ``on``."""
    return default_registry().pack_for(topic, on)
