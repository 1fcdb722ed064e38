"""Finds the changes between a committed JSON Schema and the current one that break a peer.

A peer still speaking the committed schema must keep working: no field removed or retyped,
no accepted value refused, nothing newly required, same routing key and type name. Anything
else needs a new major version, which is a new schema file next to the old one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Schema = Mapping[str, Any]

METADATA = {
    "x-kind": "kind",
    "x-owner": "owner",
    "x-result-of": "command answered",
    "x-routing-key": "routing key",
    "x-type": "type name",
    "x-version": "major version",
}
RAISED_IS_TIGHTER = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
LOWERED_IS_TIGHTER = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
ANY_CHANGE_IS_TIGHTER = ("pattern", "multipleOf")
DEFS_PREFIX = "#/$defs/"
JSON_TYPES: dict[type, str] = {
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
    type(None): "null",
    list: "array",
    dict: "object",
}


@dataclass(frozen=True)
class Incompatibility:
    """One breaking change, named by the dotted path of the field it is in."""

    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where or '(message)'}: {self.what}"


def incompatibilities(stored: Schema, current: Schema) -> list[Incompatibility]:
    """Every change from ``stored`` to ``current`` that breaks a peer; empty when compatible."""
    found = [
        Incompatibility("", f"{label} changed from {stored.get(key)!r} to {current.get(key)!r}")
        for key, label in METADATA.items()
        if stored.get(key) != current.get(key)
    ]
    comparison = _Comparison(stored.get("$defs", {}), current.get("$defs", {}))
    comparison.compare("", stored, current)
    return found + comparison.found


@dataclass
class _Comparison:
    """Walks both schemas side by side, each resolving ``$ref`` in its own ``$defs``."""

    old_defs: Schema
    new_defs: Schema
    found: list[Incompatibility] = field(default_factory=list)
    compared_refs: set[tuple[str, str]] = field(default_factory=set)

    def report(self, where: str, what: str) -> None:
        self.found.append(Incompatibility(where, what))

    def compare(self, where: str, old: Schema, new: Schema) -> None:
        """Compares one value's schemas; a union (``anyOf``, optionals) is matched branch by JSON type."""
        old_branches = _by_type(_branches(old, self.old_defs))
        new_branches = _by_type(_branches(new, self.new_defs))
        if old_branches.keys() != new_branches.keys():
            self.report(where, f"type changed from {_show(old_branches)} to {_show(new_branches)}")
        for json_type in sorted(old_branches.keys() & new_branches.keys()):
            olds, news = old_branches[json_type], new_branches[json_type]
            if len(olds) == 1 and len(news) == 1:
                self.compare_branch(where, olds[0], news[0])
                continue
            news_by_title = {branch[1].get("title"): branch for branch in news}
            for old_branch in olds:
                match = news_by_title.get(old_branch[1].get("title"))
                if match is None:
                    self.report(where, f"union member {old_branch[1].get('title')!r} removed")
                else:
                    self.compare_branch(where, old_branch, match)

    def compare_branch(self, where: str, old_branch: _Branch, new_branch: _Branch) -> None:
        """Compares two schemas of the same JSON type; a ref pair is walked once, so recursion ends."""
        (old_ref, old), (new_ref, new) = old_branch, new_branch
        if old_ref is not None and new_ref is not None:
            if (old_ref, new_ref) in self.compared_refs:
                return
            self.compared_refs.add((old_ref, new_ref))
        if old.get("format") != new.get("format"):
            self.report(
                where, f"format changed from {old.get('format')!r} to {new.get('format')!r}"
            )
        self.compare_values(where, old, new)
        self.compare_constraints(where, old, new)
        self.compare_object(where, old, new)
        if "items" in old and "items" in new:
            self.compare(f"{where}[]", old["items"], new["items"])
        elif "items" in new:
            self.report(where, "items are now restricted")

    def compare_values(self, where: str, old: Schema, new: Schema) -> None:
        """Enum and Literal values: adding one is fine, refusing one that was accepted is not."""
        old_values, new_values = _values(old), _values(new)
        if new_values is None:
            return
        if old_values is None:
            self.report(where, f"values now limited to {', '.join(sorted(new_values))}")
            return
        if removed := old_values - new_values:
            self.report(where, f"no longer accepts {', '.join(sorted(removed))}")

    def compare_constraints(self, where: str, old: Schema, new: Schema) -> None:
        """A bound or pattern that refuses a value the old one accepted breaks its senders."""
        for key in RAISED_IS_TIGHTER:
            if key in new and (key not in old or new[key] > old[key]):
                self.report(where, f"{key} tightened from {old.get(key)!r} to {new[key]!r}")
        for key in LOWERED_IS_TIGHTER:
            if key in new and (key not in old or new[key] < old[key]):
                self.report(where, f"{key} tightened from {old.get(key)!r} to {new[key]!r}")
        for key in ANY_CHANGE_IS_TIGHTER:
            if key in new and new[key] != old.get(key):
                self.report(where, f"{key} changed from {old.get(key)!r} to {new[key]!r}")

    def compare_object(self, where: str, old: Schema, new: Schema) -> None:
        """Fields: none removed, none newly required; a new optional field is fine."""
        old_fields, new_fields = old.get("properties", {}), new.get("properties", {})
        old_required, new_required = set(old.get("required", ())), set(new.get("required", ()))
        for name, old_field in old_fields.items():
            path = f"{where}.{name}" if where else name
            if name not in new_fields:
                self.report(path, "field removed")
                continue
            if name in new_required and name not in old_required:
                self.report(path, "field became required")
            self.compare(path, old_field, new_fields[name])
        for name in sorted(new_fields.keys() - old_fields.keys()):
            if name in new_required:
                self.report(f"{where}.{name}" if where else name, "new required field")
        old_extra = old.get("additionalProperties", True)
        new_extra = new.get("additionalProperties", True)
        if new_extra is False and old_extra is not False:
            self.report(where, "unknown fields are now refused")
        elif isinstance(new_extra, Mapping):
            if isinstance(old_extra, Mapping):
                self.compare(f"{where}{{}}", old_extra, new_extra)
            elif old_extra is True:
                self.report(where, "values of unknown fields are now restricted")


_Branch = tuple[str | None, Schema]


def _branches(node: Schema, defs: Schema) -> list[_Branch]:
    """The alternatives a schema allows, refs resolved, ``anyOf``/``oneOf`` flattened."""
    ref: str | None = None
    while "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith(DEFS_PREFIX):
            raise ValueError(f"only local $defs references are supported, not {ref!r}")
        siblings = {key: value for key, value in node.items() if key != "$ref"}
        node = {**defs[ref.removeprefix(DEFS_PREFIX)], **siblings}
    if len(node.get("allOf", ())) == 1:
        siblings = {key: value for key, value in node.items() if key != "allOf"}
        return _branches({**node["allOf"][0], **siblings}, defs)
    for union in ("anyOf", "oneOf"):
        if union in node:
            return [branch for option in node[union] for branch in _branches(option, defs)]
    if isinstance(node.get("type"), list):
        return [(ref, {**node, "type": json_type}) for json_type in node["type"]]
    return [(ref, node)]


def _json_type(branch: _Branch) -> str:
    """The JSON type a branch accepts, inferred from its values when ``type`` is absent."""
    schema = branch[1]
    if isinstance(schema.get("type"), str):
        return str(schema["type"])
    values = schema.get("enum", [schema["const"]] if "const" in schema else None)
    if values is not None:
        names = {JSON_TYPES.get(type(value), "any") for value in values}
        return names.pop() if len(names) == 1 else "any"
    return "object" if "properties" in schema else "any"


def _by_type(branches: list[_Branch]) -> dict[str, list[_Branch]]:
    grouped: dict[str, list[_Branch]] = {}
    for branch in branches:
        grouped.setdefault(_json_type(branch), []).append(branch)
    return grouped


def _values(schema: Schema) -> set[str] | None:
    """The accepted values as JSON text (so that ``1`` and ``true`` stay different), if limited."""
    values = schema.get("enum", [schema["const"]] if "const" in schema else None)
    if values is None:
        return None
    return {json.dumps(value, sort_keys=True) for value in values}


def _show(branches: Mapping[str, Any]) -> str:
    return " | ".join(sorted(branches)) or "nothing"
