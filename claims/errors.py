"""Errors the services raise; the API turns them into 400 / 409 / 412 answers naming the fields."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    pass


class InvalidInput(ServiceError):
    """Input that cannot be stored. `errors` maps each offending field to readable messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors

    @classmethod
    def one(cls, field: str, message: str) -> InvalidInput:
        return cls({field: [message]})


class Taken(InvalidInput):
    """A name (or other unique value) that another object already has: the input is well formed but conflicts with
    the data as it stands (the API answers 409, naming the field; forms show it like any other field error)."""


class StaleVersion(ServiceError):
    """An update named a version that is no longer the current one: someone else saved in between."""

    def __init__(self, current: Any) -> None:
        super().__init__("the object was changed by someone else; reload it and apply your edit again")
        self.current = current


class Conflict(ServiceError):
    """The request cannot be applied to the object as it is (e.g. merging a subject into itself)."""
