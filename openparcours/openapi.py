"""The OpenAPI document, with one rule of this API stated in it: a successful response carries
every field of its schema (null where the field allows it), so clients need not guard against
absent keys. (An error names what it needs: `code` and `message`, the rest where it applies.)

marshmallow's `required` speaks of loading only. So the document marks every property of a
schema that only successful responses use as required, and of a schema that requests use too the
read-only ones, which OpenAPI counts as required in responses alone; not those marked as
`PARTIAL`. An empty list or object that loading puts in place of a missing field
(`load_default=list`) is its documented default.
"""

import copy
from typing import Any

import apispec

from openparcours.errors import JsonErrorApi

SCHEMAS = "#/components/schemas/"
# Marks of fields that some answers leave out: those of some task types only, those that only
# a trail's authors get.
PARTIAL = {"x-only-for", "x-authors-only"}


class Document(apispec.APISpec):
    def to_dict(self) -> dict[str, Any]:
        return with_complete_responses(copy.deepcopy(super().to_dict()))


class Api(JsonErrorApi):
    def _init_spec(self, **options):
        super()._init_spec(**options)
        # flask-smorest builds its APISpec itself; this one differs only in its output.
        self.spec.__class__ = Document
        self.ma_plugin.converter.add_attribute_function(_made_default)


def _made_default(converter, field, **kwargs) -> dict:
    if field.load_default in (list, dict) and "default" not in field.metadata:
        return {"default": field.load_default()}
    return {}


def with_complete_responses(document: dict) -> dict:
    schemas = document.get("components", {}).get("schemas", {})
    in_requests: set[str] = set()
    in_responses: set[str] = set()
    for operations in document["paths"].values():
        for method, operation in operations.items():
            if method != "parameters":
                _refs(operation.get("requestBody"), in_requests)
                _refs(operation.get("parameters"), in_requests)
                for status, response in operation.get("responses", {}).items():
                    if status.startswith("2"):
                        _refs(response, in_responses)
    in_requests, in_responses = _closure(in_requests, schemas), _closure(in_responses, schemas)
    for name in in_responses:
        properties = schemas[name].get("properties", {})
        always = [
            key
            for key, value in properties.items()
            if (name not in in_requests or value.get("readOnly"))
            and not PARTIAL.intersection(value)
        ]
        required = schemas[name].get("required", [])
        if missing := [key for key in always if key not in required]:
            schemas[name]["required"] = [*required, *missing]
    return document


def _refs(node: Any, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMAS):
            found.add(ref.removeprefix(SCHEMAS))
        for value in node.values():
            _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)
    return found


def _closure(names: set[str], schemas: dict) -> set[str]:
    """The schemas named and those they refer to, directly or further down."""
    found, todo = set(), list(names)
    while todo:
        if (name := todo.pop()) not in found:
            found.add(name)
            todo.extend(_refs(schemas[name], set()))
    return found
