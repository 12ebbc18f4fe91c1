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


class StaleVersion(ServiceError):
    """An update named a version that is no longer the current one: someone else saved in between."""

    def __init__(self, current: Any) -> None:
        super().__init__("the object was changed by someone else; reload it and apply your edit again")
        self.current = current


class Conflict(ServiceError):
    """The request cannot be applied to the object as it is (e.g. merging a subject into itself)."""
