"""The field registry and the profile model describe the same fields, the same way."""

from __future__ import annotations

import types
import typing
from typing import Any, Literal

import pytest

from actions.answers import READERS, VALUE_WORDS
from knowledge.fields import FIELDS, LIST_KINDS, ProfileField
from knowledge.profile import CitizenProfile

# The Python type a field of each kind holds (inside ``list`` for list kinds).
SCALAR_TYPES: dict[str, type] = {
    "age": int,
    "count": int,
    "money": int,
    "amount": int,
    "region": str,
    "boolean": bool,
    "ages": int,
    "programs": str,
}


def value_type(field_name: str) -> Any:
    """The profile attribute's type without its ``| None``."""
    annotation = CitizenProfile.model_fields[field_name].annotation
    members = [a for a in typing.get_args(annotation) if a is not types.NoneType]
    assert len(members) == 1, f"{field_name} must be optional and of one type"
    return members[0]


def test_the_registry_and_the_profile_name_the_same_fields() -> None:
    assert set(FIELDS) == set(CitizenProfile.model_fields)


@pytest.mark.parametrize("field", FIELDS.values(), ids=lambda f: f.name)
def test_each_field_has_the_type_its_kind_says(field: ProfileField) -> None:
    held = value_type(field.name)
    if field.kind in LIST_KINDS:
        assert typing.get_origin(held) is list, field.name
        (held,) = typing.get_args(held)
    if field.kind in ("choice", "choices"):
        assert typing.get_origin(held) is Literal, field.name
        assert set(typing.get_args(held)) == set(field.values), field.name
    else:
        assert held is SCALAR_TYPES[field.kind], field.name


@pytest.mark.parametrize("field", FIELDS.values(), ids=lambda f: f.name)
def test_each_field_is_asked_and_read(field: ProfileField) -> None:
    assert field.label and field.about_self and field.about_other
    assert field.kind in READERS
    for _, value in field.options:
        if field.kind == "boolean":
            assert value in ("true", "false")
        elif field.kind in ("count", "amount"):
            assert value.isdigit()
        else:
            assert value in field.values or (field.is_list and value == "none"), value
    if field.kind in ("choice", "choices"):
        assert field.name in VALUE_WORDS, "people's words for each value"
        assert set(VALUE_WORDS[field.name]) <= set(field.values)


def test_a_typed_answer_has_a_hint() -> None:
    """An answer that must be typed tells, when not understood, how to type it."""
    typed = [f.name for f in FIELDS.values() if f.kind not in ("boolean", "choice", "choices")]
    assert [name for name in typed if not FIELDS[name].hint] == []
