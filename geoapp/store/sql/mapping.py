"""Row types ↔ table rows, in one place for every table.

A row type's field names are its table's column names. The conversions follow from the field
types (enums, lists of dataclasses stored as JSON, booleans); the only conversion a type does not
say, a contribution's bounding box beside its GeoJSON, is declared once in `DERIVED`. So a new
column needs a table column and a field, and no mapper.
"""

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from enum import StrEnum
from functools import cache
from typing import Any, TypeVar

import shapely.geometry
from sqlalchemy import Row, Table

from geoapp.domain import Contribution

T = TypeVar("T")


def _bbox(contribution: Contribution) -> dict[str, float | None]:
    """The bounding box kept beside the GeoJSON so that every backend can index it."""
    bounds: tuple[float | None, ...] = (None, None, None, None)
    if contribution.geometry is not None:
        bounds = shapely.geometry.shape(contribution.geometry).bounds
    return dict(zip(("min_lon", "min_lat", "max_lon", "max_lat"), bounds, strict=True))


DERIVED: dict[type, Callable[[Any], dict[str, Any]]] = {Contribution: _bbox}
"""Per row type, the columns computed from its fields on write (and not read back)."""


def values(obj: Any, table: Table) -> dict[str, Any]:
    """A row object's fields as the column values of `table` (fields without a column skipped).

    A partial row (e.g. a pin's `Answer`) gives only its own columns.
    """
    row = {
        f.name: _to_column(getattr(obj, f.name))
        for f in dataclasses.fields(obj)
        if f.name in table.c
    }
    derive = DERIVED.get(type(obj))
    return {**row, **derive(obj)} if derive else row


def from_row(cls: type[T], row: Row[Any], table: Table) -> T:
    """The row object of `cls` in `row`; fields without a column in `table` come by label."""
    m = row._mapping
    kwargs = {}
    for name, key, read in _lookups(cls, table):
        try:
            value = m[key]
        except KeyError:  # not selected: the field keeps its default
            continue
        kwargs[name] = read(value)
    return cls(**kwargs)


@cache
def _lookups(cls: type, table: Table) -> tuple[tuple[str, Any, Callable[[Any], Any]], ...]:
    """Per field of `cls`: its name, the row key to read it by (column, else label), reader.

    Worked out once per row type and table: from_row runs for every row of a page or export.
    """
    return tuple((name, table.c.get(name, name), read) for name, read in _readers(cls).items())


def _to_column(value: Any) -> Any:
    if isinstance(value, StrEnum):
        return str(value)
    if isinstance(value, list):
        return [_to_column(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value


@cache
def _readers(cls: type) -> Mapping[str, Callable[[Any], Any]]:
    """Per field of `cls`, how a column value becomes the field's value."""
    hints = typing.get_type_hints(cls)
    return {f.name: _reader(hints[f.name]) for f in dataclasses.fields(cls)}


def _reader(hint: Any) -> Callable[[Any], Any]:
    args = typing.get_args(hint)
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        inner = _reader(next(a for a in args if a is not type(None)))
        return lambda v: None if v is None else inner(v)
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        return hint
    if hint is bool:
        return bool
    if typing.get_origin(hint) is list and args and dataclasses.is_dataclass(args[0]):
        item = args[0]
        return lambda v: [item(**x) for x in v]
    return lambda v: v
