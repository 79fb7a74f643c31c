"""The SDK's serializer with its slow steps made fast; same objects, same errors.

``DefaultSerializer`` reads a request by walking the model classes' type tables on every call:
it parses each type string with a regular expression, looks each model class up by importing
its module by name, scans every payload key against a class's whole attribute map, and reads
timestamps with dateutil's general-purpose parser. This subclass works each of those out once
per class (the tables never change), walks only the keys the payload holds, and reads Alexa's
ISO 8601 timestamps with ``datetime.fromisoformat`` (anything else still goes to dateutil).
Writing a response, it likewise works out each model class's keys once instead of rebuilding
the class's key map on every object. Anything unusual (a payload that is not an object where a
model is expected, a list of mixed types) takes the SDK's own path, so odd input fails exactly
as it does there. One difference is deliberate: a payload key naming a Python internal
(``__dict__``, ``__class__``) is refused, where the SDK sets it and leaves a model whose fields
are gone, which then fails outside any handler.

The overridden and called methods are the SDK's name-mangled private ones (``SDK_PRIVATE``), so
pyproject.toml pins ask-sdk-core exactly, and ``tests/skill/test_serializer.py`` fails by name
when one of them is gone or changes its parameters, or when the SDK stops calling them. The same
tests check that the results match the SDK's on every sample request and on generated ones.
Measured, it is worth the pin: a mid-workout turn's request is read in about a quarter of the
SDK's time (README, Performance).

A turn's response is written twice: as the answer kept for a repeated request (intents/answers.py)
and then inside the envelope sent to Alexa. ``serialize_kept`` writes it once and hands the same
result to the envelope's write (an identity memo): the response is not changed in between (the save
that keeps it is the last step before the SDK wraps it in its envelope).

Both entry points read with it: the Flask endpoint through the SDK's webservice handler
(``deserialize``, from the body's text) and the Lambda entry through ``read`` (from the event's
dict, which Lambda has already parsed).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import Enum
from typing import Any

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import Response

from skill.memo import IdentityMemo

SDK_PRIVATE: dict[str, tuple[str, ...]] = {
    "_DefaultSerializer__load_class_from_name": ("self", "class_name"),
    "_DefaultSerializer__deserialize_datetime": ("self", "payload", "obj_type"),
    "_DefaultSerializer__deserialize": ("self", "payload", "obj_type"),
    "_DefaultSerializer__deserialize_model": ("self", "payload", "obj_type"),
    "_DefaultSerializer__get_obj_by_discriminator": ("self", "payload", "obj_type"),
}
"""The SDK's private methods this module overrides or calls, with their parameters (ask-sdk-core 1.19.0)."""



def _sdk_private(name: str) -> Any:
    """The SDK's private method ``name``; an SDK without it stops the import with a clear reason."""
    method = DefaultSerializer.__dict__.get(name)
    if not callable(method):
        from importlib.metadata import version

        raise ImportError(f"ask-sdk-core {version('ask-sdk-core')} has no DefaultSerializer.{name}, which "
                          "skill/serializer.py relies on: install the version pyproject.toml pins")
    return method


_SDK_LOAD_CLASS = _sdk_private("_DefaultSerializer__load_class_from_name")
_SDK_DATETIME = _sdk_private("_DefaultSerializer__deserialize_datetime")
_SDK_DESERIALIZE = _sdk_private("_DefaultSerializer__deserialize")
_SDK_MODEL = _sdk_private("_DefaultSerializer__deserialize_model")
_LIST = re.compile(r"list\[([^,]*)\]")
_DICT = re.compile(r"dict\(([^,]*), ([^,]*)\)")

# Values written out as they are; only these exact types (subclasses such as enums go to the SDK).
_AS_IS = frozenset({str, int, float, bool, bytes, type(None)})

# How a type string is read: as a list of, a dict of, or one resolved type.
LIST_OF, DICT_OF, ONE = "list", "dict", "one"
# How a model class is read: see FastSerializer._read_shape.
PLAIN, PARENT, SDK_SHAPE = "plain", "parent", "sdk"


# Responses written for a kept answer and waiting for their envelope's write: a worker's threads
# answer a few turns at once, so a handful is plenty (one never taken only costs a second write).
# Shared by every serializer: the kept answer and the envelope are written by different ones.
_kept_writes: IdentityMemo[dict[str, Any]] = IdentityMemo(size=16)


class FastSerializer(DefaultSerializer):
    """``DefaultSerializer`` with type strings, classes and model shapes worked out once."""

    def __init__(self) -> None:
        super().__init__()
        self._classes: dict[str, Any] = {}
        self._types: dict[str, tuple[str, Any]] = {}
        self._fields: dict[type, dict[str, tuple[str, str, type | None]]] = {}
        self._shapes: dict[type, str] = {}
        self._keys: dict[type, tuple[tuple[str, str], ...]] = {}

    def read(self, payload: Any, obj_type: Any) -> Any:
        """``deserialize`` for a payload already parsed from JSON (a dict, as Lambda hands an event over)."""
        if payload is None:
            return None
        return self._DefaultSerializer__deserialize(payload, obj_type)

    def serialize_kept(self, response: Response) -> dict[str, Any]:
        """``serialize(response)``, handed as it is to the next write of the envelope holding this
        very response instead of writing it again: read the result, never change it, and do not
        change the response before its envelope is written."""
        written = self.serialize(response)
        _kept_writes.put(response, written)
        return written

    def serialize(self, obj: Any) -> Any:
        kind = type(obj)
        if kind in _AS_IS:
            return obj
        if kind is dict:
            return {key: self.serialize(value) for key, value in obj.items()}
        if kind is list:
            return [self.serialize(item) for item in obj]
        if kind is Response and (written := _kept_writes.take(obj)) is not None:
            return written
        keys = self._keys.get(kind)
        if keys is None:
            if not hasattr(kind, "deserialized_types") or issubclass(kind, (Enum, date, tuple)):
                return super().serialize(obj)
            keys = self._read_keys(kind)
        serialize = self.serialize
        return {key: serialize(value) for name, key in keys if (value := getattr(obj, name)) is not None}

    def _read_keys(self, model_class: type) -> tuple[tuple[str, str], ...]:
        """A model class's attributes, each with the key the SDK writes it under, in the SDK's order."""
        names: dict[str, str] = getattr(model_class, "attribute_map", {})
        types: dict[str, Any] = model_class.deserialized_types  # type: ignore[attr-defined]
        self._keys[model_class] = keys = tuple((name, names.get(name, name)) for name in types)
        return keys

    def _DefaultSerializer__load_class_from_name(self, class_name: str) -> Any:  # noqa: N802
        found = self._classes.get(class_name)
        if found is None:
            found = self._classes[class_name] = _SDK_LOAD_CLASS(self, class_name)
        return found

    def _DefaultSerializer__deserialize_datetime(self, payload: Any, obj_type: Any) -> Any:  # noqa: N802
        if isinstance(payload, str) and obj_type in (datetime, date):
            try:
                parsed = datetime.fromisoformat(payload)
            except ValueError:
                return _SDK_DATETIME(self, payload, obj_type)
            return parsed.date() if obj_type is date else parsed
        return _SDK_DATETIME(self, payload, obj_type)

    def _DefaultSerializer__deserialize(self, payload: Any, obj_type: Any) -> Any:  # noqa: N802
        if payload is None:
            return None
        if type(obj_type) is not str:
            return _SDK_DESERIALIZE(self, payload, obj_type)
        kind, target = self._types.get(obj_type) or self._read_type(obj_type)
        if kind is LIST_OF:
            return [self._DefaultSerializer__deserialize(item, target) for item in payload]
        if kind is DICT_OF:
            return {key: self._DefaultSerializer__deserialize(value, target) for key, value in payload.items()}
        if type(target) is str:
            return _SDK_DESERIALIZE(self, payload, target)
        if type(payload) is target and target in self.PRIMITIVE_TYPES:
            return payload  # what the SDK's cast gives back for a value already of its type
        if target in self.PRIMITIVE_TYPES or target is object or target in (date, datetime):
            return _SDK_DESERIALIZE(self, payload, target)
        return self._DefaultSerializer__deserialize_model(payload, target)

    def _read_type(self, obj_type: str) -> tuple[str, Any]:
        """What a type string names, worked out once (an unknown class raises as in the SDK)."""
        if match := _LIST.fullmatch(obj_type):
            read = (LIST_OF, match.group(1).strip())
        elif match := _DICT.fullmatch(obj_type):
            read = (DICT_OF, match.group(2))
        elif obj_type.startswith(("list[", "dict(")):
            read = (ONE, obj_type)  # a shape the SDK reads its own way
        else:
            read = (ONE, self.NATIVE_TYPES_MAPPING.get(obj_type) or self._DefaultSerializer__load_class_from_name(obj_type))
        self._types[obj_type] = read
        return read

    def _DefaultSerializer__deserialize_model(self, payload: Any, obj_type: Any) -> Any:  # noqa: N802
        if type(payload) is not dict or type(obj_type) is str or not isinstance(obj_type, type):
            return _SDK_MODEL(self, payload, obj_type)
        shape = self._shapes.get(obj_type) or self._read_shape(obj_type)
        if shape is SDK_SHAPE:
            return _SDK_MODEL(self, payload, obj_type)
        try:
            model_class = obj_type
            if shape is PARENT:
                model_class = self._DefaultSerializer__get_obj_by_discriminator(payload, model_class)
            fields = self._fields.get(model_class) or self._read_fields(model_class)
            model = model_class()
            deserialize = self._DefaultSerializer__deserialize
            extras = []
            for key, value in payload.items():
                field = fields.get(key)
                if field is None:
                    extras.append(key)
                elif value is None or type(value) is field[2]:
                    setattr(model, field[0], value)  # what the SDK gives back for null, or a value already of its type
                else:
                    setattr(model, field[0], deserialize(value, field[1]))
            for key in extras:  # keys the model does not define are kept as they came, after the rest (as the SDK does)
                if key.startswith("__"):
                    raise SerializationException(f"{key!r} is not a field of {model_class.__name__}")
                setattr(model, key, payload[key])
            return model
        except Exception as error:
            raise SerializationException(str(error)) from error

    def _read_shape(self, model_class: type) -> str:
        """How the SDK reads a class: as a plain model, as a parent naming its subclass by
        discriminator, or (an enum, a class without a type table) in its own way."""
        if issubclass(model_class, Enum) or not hasattr(model_class, "deserialized_types"):
            shape = SDK_SHAPE
        else:
            shape = PARENT if hasattr(model_class, "get_real_child_model") else PLAIN
        self._shapes[model_class] = shape
        return shape

    def _read_fields(self, model_class: type) -> dict[str, tuple[str, str, type | None]]:
        """A model class's payload keys, each with its attribute, its type string and, when that
        names a primitive type, the type itself (a value of exactly that type is taken as it is)."""
        types: dict[str, Any] = model_class.deserialized_types  # type: ignore[attr-defined]
        names: dict[str, str] = {**{name: name for name in types}, **getattr(model_class, "attribute_map", {})}
        self._fields[model_class] = fields = {
            key: (name, types[name], self._primitive(types[name])) for name, key in names.items()
        }
        return fields

    def _primitive(self, obj_type: Any) -> type | None:
        """The primitive type a type string names, if it names one (others are resolved only when
        a payload holds the field: resolving a class imports its module)."""
        native = self.NATIVE_TYPES_MAPPING.get(obj_type) if type(obj_type) is str else None
        return native if native in self.PRIMITIVE_TYPES else None
