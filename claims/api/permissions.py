"""Who may do what through the API: readers read, editors (the `editor` group) write. Also used by the web
editor's pages to tell an editor."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

EDITOR_GROUP = "editor"


def is_editor(user: Any) -> bool:
    if not user or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(user.groups.filter(name=EDITOR_GROUP).exists())


class ReadOnlyOrEditor(BasePermission):
    """Anyone reads; writes need an editor (or superuser), by token or by session with CSRF."""

    message = "Writing needs an editor's account or token."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return is_editor(request.user)


class EditorOnly(BasePermission):
    """Editors (or superusers) only, reads included: for editors' helpers that readers have no use for."""

    message = "This is for editors."

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_editor(request.user)
