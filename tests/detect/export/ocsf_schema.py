"""An OCSF validator built from the official schema sources (not JSON Schema).

Reads the class, object, profile and dictionary files of ocsf/ocsf-schema exactly as shipped in
../shared/governance/schemas/ocsf and applies the rules stated in that folder's NOTE.md and in
the files themselves: ``extends`` chains, ``$include`` of profiles, class-level overrides merged
over dictionary definitions (enums merge along the chain), ``requirement: required``,
``constraints`` (``at_least_one``, ``just_one``), scalar types from ``dictionary.json`` ->
``types`` (regex, range, max_len), ``is_array``, enum membership, sibling captions, profile
membership in ``metadata.profiles``, and the class/type uid arithmetic. Unknown attributes are
errors (OCSF puts those under ``unmapped``).

Test-side on purpose: nothing in it comes from the exporter under test.
"""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from pathlib import Path
from typing import Any


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


class OcsfSchema:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.version = self._load("version.json")["version"]
        dictionary = self._load("dictionary.json")
        self.dictionary: dict[str, Any] = dictionary["attributes"]
        self.types: dict[str, Any] = dictionary["types"]["attributes"]
        self.categories: dict[str, Any] = self._load("categories.json")["attributes"]

    @cache  # noqa: B019 - one schema per test session
    def _load(self, relative: str) -> Any:
        return json.loads((self.root / relative).read_text())

    # -- compilation ------------------------------------------------------------------

    def _own_attributes(self, spec: dict[str, Any]) -> dict[str, Any]:
        attrs: dict[str, Any] = {}
        own = dict(spec.get("attributes", {}))
        for include in own.pop("$include", []):
            included = self._load(include)
            profile = included["name"] if included.get("meta") == "profile" else None
            for name, definition in included["attributes"].items():
                marked = dict(definition)
                if profile is not None:
                    marked.setdefault("profile", profile)
                attrs[name] = _merge(attrs.get(name, {}), marked)
        for name, definition in own.items():
            attrs[name] = _merge(attrs.get(name, {}), definition)
        return attrs

    def _compile(self, spec: dict[str, Any], find_parent: Any) -> dict[str, Any]:
        parent = spec.get("extends")
        if parent:
            compiled = self._compile(find_parent(parent), find_parent)
        else:
            compiled = {"attributes": {}, "constraints": {}}
        for name, definition in self._own_attributes(spec).items():
            compiled["attributes"][name] = _merge(compiled["attributes"].get(name, {}), definition)
        if "constraints" in spec:
            compiled["constraints"] = spec["constraints"]
        for key in ("name", "uid", "category", "caption"):
            if key in spec:
                compiled[key] = spec[key]
        return compiled

    @cache  # noqa: B019
    def event_class(self, relative: str) -> dict[str, Any]:
        """A compiled class, e.g. ``events/findings/detection_finding.json``."""
        index = {p.stem: p for p in (self.root / "events").rglob("*.json")}

        def find(name: str) -> dict[str, Any]:
            return self._load(str(index[name].relative_to(self.root)))

        compiled = self._compile(self._load(relative), find)
        compiled["attributes"] = {
            name: self._with_dictionary(name, d) for name, d in compiled["attributes"].items()
        }
        category = compiled["category"]
        compiled["category_uid"] = self.categories[category]["uid"]
        compiled["class_uid"] = compiled["category_uid"] * 1000 + compiled["uid"]
        # as the schema server does: the class's own category and class become the enums
        attrs = compiled["attributes"]
        attrs["category_uid"]["enum"] = {
            str(compiled["category_uid"]): {"caption": self.categories[category]["caption"]}
        }
        attrs["class_uid"]["enum"] = {str(compiled["class_uid"]): {"caption": compiled["caption"]}}
        attrs["type_uid"]["enum"] = {
            str(compiled["class_uid"] * 100 + int(activity)): {
                "caption": f"{compiled['caption']}: {entry['caption']}"
            }
            for activity, entry in attrs["activity_id"]["enum"].items()
        }
        return compiled

    @cache  # noqa: B019
    def object_type(self, name: str) -> dict[str, Any]:
        compiled = self._compile(
            self._load(f"objects/{name}.json"), lambda n: self._load(f"objects/{n}.json")
        )
        compiled["attributes"] = {
            attr: self._with_dictionary(attr, d) for attr, d in compiled["attributes"].items()
        }
        return compiled

    def _with_dictionary(self, name: str, definition: dict[str, Any]) -> dict[str, Any]:
        return _merge(self.dictionary.get(name, {}), definition)

    def required(self, compiled: dict[str, Any], profiles: set[str] = frozenset()) -> set[str]:
        """Required attributes; a profile's own required ones only when the profile applies."""
        return {
            name
            for name, d in compiled["attributes"].items()
            if d.get("requirement") == "required"
            and (not d.get("profile") or d["profile"] in profiles)
        }

    # -- validation -------------------------------------------------------------------

    def validate_event(self, event: dict[str, Any], relative: str) -> list[str]:
        compiled = self.event_class(relative)
        profiles = set(event.get("metadata", {}).get("profiles", []))
        errors = self._check_object(event, compiled, "", profiles)
        if event.get("class_uid") != compiled["class_uid"]:
            errors.append(f"class_uid {event.get('class_uid')} != {compiled['class_uid']}")
        if event.get("category_uid") != compiled["category_uid"]:
            errors.append(f"category_uid {event.get('category_uid')} != {compiled['category_uid']}")
        activity = event.get("activity_id")
        if (
            isinstance(activity, int)
            and event.get("type_uid") != compiled["class_uid"] * 100 + activity
        ):
            errors.append(f"type_uid {event.get('type_uid')} != class_uid * 100 + activity_id")
        version = event.get("metadata", {}).get("version")
        if version != self.version:
            errors.append(f"metadata.version {version!r} != schema {self.version!r}")
        return errors

    def _check_object(
        self, value: dict[str, Any], compiled: dict[str, Any], path: str, profiles: set[str]
    ) -> list[str]:
        errors = []
        attrs = compiled["attributes"]
        for name in sorted(self.required(compiled, profiles)):
            if value.get(name) is None:
                errors.append(f"{path}{name}: required attribute missing")
        for name, item in value.items():
            definition = attrs.get(name)
            if definition is None:
                errors.append(f"{path}{name}: not an attribute of {compiled.get('name')}")
                continue
            profile = definition.get("profile")
            if profile and profile not in profiles:
                errors.append(
                    f"{path}{name}: belongs to profile {profile!r} not in metadata.profiles"
                )
            errors += self._check_value(item, definition, f"{path}{name}", profiles, compiled)
            sibling = definition.get("sibling")
            if sibling and sibling in value and "enum" in definition and item != 99:
                caption = definition["enum"].get(str(item), {}).get("caption")
                if value[sibling] != caption:
                    errors.append(f"{path}{sibling}: {value[sibling]!r} != caption {caption!r}")
        for kind, names in compiled.get("constraints", {}).items():
            present = [n for n in names if value.get(n) is not None]
            if kind == "at_least_one" and not present:
                errors.append(f"{path or '<event>'}: needs at least one of {names}")
            if kind == "just_one" and len(present) != 1:
                errors.append(f"{path or '<event>'}: needs exactly one of {names}")
        return errors

    def _check_value(
        self,
        item: Any,
        definition: dict[str, Any],
        path: str,
        profiles: set[str],
        owner: dict[str, Any],
    ) -> list[str]:
        if definition.get("is_array"):
            if not isinstance(item, list):
                return [f"{path}: expected an array"]
            single = {k: v for k, v in definition.items() if k != "is_array"}
            return [
                e
                for i, element in enumerate(item)
                for e in self._check_value(element, single, f"{path}[{i}]", profiles, owner)
            ]
        type_name = definition.get("type")
        if type_name is None:
            return [f"{path}: attribute has no type in the schema"]
        if not type_name.endswith("_t"):
            if not isinstance(item, dict):
                return [f"{path}: expected object {type_name}"]
            if type_name == "object":
                return []
            return self._check_object(item, self.object_type(type_name), f"{path}.", profiles)
        errors = self._check_scalar(item, type_name, path)
        if not errors and "enum" in definition and (path.endswith(("_id", "_uid"))):
            allowed = set(definition["enum"])
            if owner.get("name") == "observable" and path.endswith("type_id"):
                allowed |= self.observable_type_ids()
            if str(item) not in allowed:
                errors.append(f"{path}: {item!r} not in enum {sorted(allowed, key=int)}")
        return errors

    def _check_scalar(self, item: Any, type_name: str, path: str) -> list[str]:
        spec = self.types.get(type_name, {})
        base = spec.get("type", type_name)
        if base == "timestamp_t":
            base = "long_t"
        checks = {
            "string_t": isinstance(item, str),
            "integer_t": isinstance(item, int) and not isinstance(item, bool),
            "long_t": isinstance(item, int) and not isinstance(item, bool),
            "float_t": isinstance(item, int | float) and not isinstance(item, bool),
            "boolean_t": isinstance(item, bool),
            "json_t": True,
        }
        if base not in checks:
            return [f"{path}: unknown scalar type {type_name}"]
        if not checks[base]:
            return [f"{path}: {item!r} is not {type_name}"]
        errors = []
        if "regex" in spec and not re.search(spec["regex"], item):
            errors.append(f"{path}: {item!r} does not match {type_name}")
        if "max_len" in spec and len(item) > spec["max_len"]:
            errors.append(f"{path}: longer than {spec['max_len']}")
        if "range" in spec and not spec["range"][0] <= item <= spec["range"][1]:
            errors.append(f"{path}: {item} outside {spec['range']}")
        return errors

    @cache  # noqa: B019
    def observable_type_ids(self) -> set[str]:
        """Observable type ids are generated from every type/attribute/object marked
        ``observable`` (the schema server builds the enum the same way)."""
        ids = {str(t["observable"]) for t in self.types.values() if "observable" in t}
        ids |= {str(a["observable"]) for a in self.dictionary.values() if "observable" in a}
        for path in (self.root / "objects").glob("*.json"):
            spec = json.loads(path.read_text())
            if "observable" in spec:
                ids.add(str(spec["observable"]))
        return ids
