"""Every API endpoint and every page × every kind of caller: anonymous, reader, editor, admin (superuser), an
editor's token and a reader's token. Reads are open; writes need an editor; session writes need CSRF; the editor
workspace sends anonymous visitors to sign in and refuses readers; a refused request changes nothing.

The endpoints are enumerated from the URL resolver (DRF's endpoint enumerator for the API, a walk of the `web`
namespace for pages, the admin's registry for the admin), so an endpoint added later is covered without editing
this file; one whose URL parameter this file cannot fill fails loudly, naming it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from drf_spectacular.generators import EndpointEnumerator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims import services
from claims.models import Claim, Contradiction, Speaker, Subject
from tests.factories import editor_group, make_article, make_claim

pytestmark = pytest.mark.django_db

IDENTITIES = ["anonymous", "reader", "editor", "admin", "editor_token", "reader_token"]
WRITERS = {"editor", "admin", "editor_token"}
SESSIONS = {"reader", "editor", "admin"}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


# ---------------------------------------------------------------------------------------------- the world


@dataclass
class World:
    ids: dict[str, int]
    users: dict[str, User]

    def fill(self, route: str) -> str:
        """Put a real id into every `{pk}` / `<int:pk>` of a route, chosen by the collection named before it."""

        def one(match: re.Match[str]) -> str:
            collection = match.group("collection")
            if collection not in self.ids:
                pytest.fail(
                    f"the permission matrix does not know which object to put in {route!r}: "
                    f"teach World.ids about {collection!r}"
                )
            return f"{collection}/{self.ids[collection]}"

        filled = re.sub(r"(?P<collection>[a-z_]+)/(\{pk\}|\{id\}|<int:pk>)", one, route)
        if re.search(r"[{<]", filled):
            pytest.fail(f"the permission matrix cannot fill the parameters of {route!r}")
        return filled


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(django_capture_on_commit_callbacks: Any) -> World:
    editors = editor_group()
    users = {
        "reader": User.objects.create_user("m-reader", "r@example.org", "x-password-123"),
        "editor": User.objects.create_user("m-editor", "e@example.org", "x-password-123"),
        "admin": User.objects.create_superuser("m-admin", "a@example.org", "x-password-123"),
    }
    users["editor"].groups.add(editors)
    outlet = services.outlet_get_or_create(name="Harbour Gazette", domain="gazette.example")
    article = make_article(outlet=outlet)
    with django_capture_on_commit_callbacks(execute=True):
        high = make_claim(article, "about 2,500 workers", qualifier="approx", speaker="Harbour officials")
        make_claim(article, "2,400 workers", value=2400)
    flag = Contradiction.objects.first()
    if flag is None:
        pytest.fail("the matrix needs a flagged pair; 2,400 vs about 2,500 workers was not flagged")
    # Reviewed, so that every read of it (its ClaimReview export included) has something to show.
    flag = services.contradiction_resolve(
        contradiction=flag, actor=users["admin"], status="confirmed", note="both figures from the same day"
    )
    other_subject = services.subject_get_or_create(name="Container terminal")
    other_speaker = services.speaker_get_or_create(name="Union leader")
    speaker = Speaker.objects.get(name="Harbour officials")
    assert high.subject_id is not None
    ids = {
        "articles": article.pk,
        "claims": high.pk,
        "contradictions": flag.pk,
        "subjects": high.subject_id,
        "speakers": speaker.pk,
        "outlets": outlet.pk,
        "other_subject": other_subject.pk,
        "other_speaker": other_speaker.pk,
        "claim_version": high.version,
    }
    return World(ids, users)


def client_for(identity: str, world: World, *, csrf: bool = True) -> APIClient:
    """A client that enforces CSRF like a browser's server would; session identities send the token unless told
    not to; token identities carry only their token."""
    client = APIClient(enforce_csrf_checks=True)
    if identity in SESSIONS:
        client.force_login(world.users[identity])
    if identity.endswith("_token"):
        token, _ = Token.objects.get_or_create(user=world.users[identity.removesuffix("_token")])
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    if csrf:
        client.get(reverse("login"))  # the CSRF cookie, as a browser gets it from any form page
        client.defaults["HTTP_X_CSRFTOKEN"] = client.cookies["csrftoken"].value
    return client


def row_counts() -> dict[str, int]:
    models: list[type[Model]] = [*apps.get_app_config("claims").get_models(), User, Group, Token]
    return {model._meta.label: model._default_manager.count() for model in models}


# ---------------------------------------------------------------------------------------------- the API


def _catch_all(route: str) -> bool:
    """The API's catch-all pattern (any other path under /api/v1/), as DRF's enumerator writes it."""
    return route in ("/api/v1/./", "/api/v1/[\\s\\S]/")


def api_endpoints() -> list[tuple[str, str]]:
    found = sorted(
        {
            (path, method)
            for path, _regex, method, _view in EndpointEnumerator().get_api_endpoints()
            if path.startswith("/api/v1/")
        }
    )
    assert len(found) >= 20, f"the URL resolver lists only {len(found)} API endpoints: {found}"
    return found


# Bodies that should succeed for an editor; any other write gets `{}`, whose 400 still shows that the permission
# check let the caller through (DRF checks permissions before it reads the body).
VALID: dict[tuple[str, str], Callable[[World], dict[str, Any]]] = {
    ("POST", "/api/v1/articles/"): lambda w: {"text": "Dock workers ended their strike on Tuesday after 9 days."},
    ("POST", "/api/v1/claims/"): lambda w: {
        "article": w.ids["articles"],
        "quote": "March 2019",
        "kind": "date",
        "subject": "Terminal opening",
        "attribute": "event date",
        "value": "2019-03",
    },
    ("PATCH", "/api/v1/claims/{pk}/"): lambda w: {"version": w.ids["claim_version"], "attribute": "walkout size"},
    ("DELETE", "/api/v1/claims/{pk}/"): lambda w: {},
    ("PATCH", "/api/v1/contradictions/{pk}/"): lambda w: {"status": "dismissed", "note": "different dates"},
    ("POST", "/api/v1/subjects/"): lambda w: {"name": "Port authority budget"},
    ("PATCH", "/api/v1/subjects/{pk}/"): lambda w: {"name": "Striking port workers"},
    ("POST", "/api/v1/subjects/{pk}/aliases/"): lambda w: {"name": "Dockers"},
    ("POST", "/api/v1/subjects/{pk}/broader/"): lambda w: {"broader": w.ids["other_subject"]},
    ("POST", "/api/v1/subjects/{pk}/merge/"): lambda w: {"into": w.ids["other_subject"]},
    ("POST", "/api/v1/speakers/"): lambda w: {"name": "Port authority spokesperson"},
    ("PATCH", "/api/v1/speakers/{pk}/"): lambda w: {"description": "the port's press office"},
    ("POST", "/api/v1/speakers/{pk}/aliases/"): lambda w: {"name": "Port officials"},
    ("POST", "/api/v1/speakers/{pk}/merge/"): lambda w: {"into": w.ids["other_speaker"]},
}


# Reads for editors only (with the query a valid request carries): others are refused like a write.
EDITOR_READS = {"/api/v1/subjects/near/": "?name=Striking+port+workers"}


def _call(client: APIClient, method: str, path: str, body: dict[str, Any]) -> Any:
    if method == "GET":
        return client.get(path, HTTP_ACCEPT="application/json")
    return getattr(client, method.lower())(path, body, format="json")


@pytest.mark.parametrize(("route", "method"), api_endpoints())
@pytest.mark.parametrize("identity", IDENTITIES)
def test_api_endpoint(world: World, route: str, method: str, identity: str) -> None:
    if _catch_all(route):
        # A catch-all pattern (any other path under the API): an unknown path is a JSON 404 for every caller and
        # every method, and changes nothing.
        client = client_for(identity, world)
        before = row_counts()
        answer = _call(client, method, "/api/v1/no-such-endpoint/", {})
        assert answer.status_code == 404 and answer["Content-Type"].startswith("application/json")
        assert row_counts() == before
        return
    path = world.fill(route)
    body = VALID.get((method, route), lambda w: {})(world)
    client = client_for(identity, world)
    before = row_counts()
    answer = _call(client, method, path + EDITOR_READS.get(route, ""), body)
    assert answer.status_code < 500, answer.content[:500]
    if route in EDITOR_READS and identity not in WRITERS:
        assert answer.status_code == (401 if identity == "anonymous" else 403), answer.content[:300]
        assert row_counts() == before
        return
    if method not in WRITE_METHODS:
        assert answer.status_code == 200, (identity, answer.content[:300])
        assert row_counts() == before
        return
    if identity in WRITERS:
        assert answer.status_code not in (401, 403), answer.content[:300]
        if (method, route) in VALID:
            assert 200 <= answer.status_code < 300, answer.content[:500]
        return
    # Anonymous callers are told to authenticate (401, with a WWW-Authenticate header); known non-editors get 403.
    assert answer.status_code == (401 if identity == "anonymous" else 403), answer.content[:300]
    assert row_counts() == before


@pytest.mark.parametrize(
    ("route", "method"), [(r, m) for r, m in api_endpoints() if m in WRITE_METHODS and not _catch_all(r)]
)
@pytest.mark.parametrize("identity", sorted(SESSIONS & WRITERS))
def test_api_session_writes_without_csrf_are_refused(world: World, route: str, method: str, identity: str) -> None:
    path = world.fill(route)
    body = VALID.get((method, route), lambda w: {})(world)
    client = client_for(identity, world, csrf=False)
    before = row_counts()
    answer = _call(client, method, path, body)
    assert answer.status_code == 403, answer.content[:300]
    assert "CSRF" in answer.json()["detail"]
    assert row_counts() == before


def test_the_api_enumeration_covers_every_write_the_schema_publishes() -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    published = {
        (path.replace("{id}", "{pk}"), method.upper())
        for path, operations in schema["paths"].items()
        for method in operations
    }
    assert published <= set(api_endpoints())


# ---------------------------------------------------------------------------------------------- pages


def _walk(patterns: list[Any], prefix: str, namespace: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found += _walk(entry.url_patterns, route, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and namespace == "web":
            found.append((route, entry.name or route))
    return found


def pages() -> list[str]:
    routes = sorted(route for route, _name in _walk(get_resolver().url_patterns, "", ""))
    assert any(route.startswith("editor/") for route in routes) and "" in routes, routes
    return routes


def _is_editor_page(route: str) -> bool:
    return route.startswith("editor/")


# Editor pages that only take a form post (their buttons live on another page): a GET is 405, after the sign-in
# and editor checks.
POST_ONLY_PAGES = {
    "editor/articles/<int:pk>/retry/",
    "editor/articles/<int:pk>/delete/",
    "editor/subjects/merge/",
    "editor/attributes/set/",
}


@pytest.mark.parametrize("route", pages())
@pytest.mark.parametrize("identity", IDENTITIES)
def test_page_get(world: World, route: str, identity: str) -> None:
    path = "/" + world.fill(route)
    client = client_for(identity, world)
    before = row_counts()
    answer = client.get(path)
    assert answer.status_code < 500
    if not _is_editor_page(route) or identity in {"editor", "admin"}:
        assert answer.status_code == (405 if route in POST_ONLY_PAGES else 200), (path, answer.status_code)
    elif identity == "reader":
        assert answer.status_code == 403
    else:
        # Pages know sessions only: a token is no sign-in here, so token callers are sent to sign in too.
        assert answer.status_code == 302
        assert answer["Location"].startswith(reverse("login") + "?next=")
    assert row_counts() == before


@pytest.mark.parametrize("route", [route for route in pages() if _is_editor_page(route)])
@pytest.mark.parametrize("identity", IDENTITIES)
def test_editor_page_post(world: World, route: str, identity: str) -> None:
    path = "/" + world.fill(route)
    client = client_for(identity, world)
    before = row_counts()
    answer = client.post(path, {})
    assert answer.status_code < 500
    if identity in {"editor", "admin"}:
        assert answer.status_code != 403
        return
    if identity == "reader":
        assert answer.status_code == 403
    else:
        assert answer.status_code == 302 and answer["Location"].startswith(reverse("login"))
    assert row_counts() == before


@pytest.mark.parametrize("route", pages())
@pytest.mark.parametrize("identity", ["anonymous", "editor"])
def test_page_post_without_csrf_is_refused(world: World, route: str, identity: str) -> None:
    path = "/" + world.fill(route)
    client = client_for(identity, world, csrf=False)
    before = row_counts()
    answer = client.post(path, {"anything": "1"})
    assert answer.status_code == 403
    assert row_counts() == before


# ---------------------------------------------------------------------------------------------- the admin


def admin_pages() -> list[str]:
    found = ["admin:index"]
    for model in admin.site._registry:
        found.append(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return sorted(found)


@pytest.mark.parametrize("name", admin_pages())
@pytest.mark.parametrize("identity", IDENTITIES)
def test_admin_is_for_admins_only(world: World, name: str, identity: str) -> None:
    path = reverse(name)
    answer = client_for(identity, world).get(path)
    if identity == "admin":
        assert answer.status_code == 200
    else:
        assert answer.status_code == 302
        assert answer["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("identity", ["anonymous", "reader", "editor", "editor_token"])
def test_non_admins_cannot_change_a_claim_through_the_admin(world: World, identity: str) -> None:
    claim = Claim.objects.get(pk=world.ids["claims"])
    path = reverse("admin:claims_claim_change", args=[claim.pk])
    client = client_for(identity, world)
    before = row_counts()
    answer = client.post(path, {"attribute": "hijacked", "quote": "x"})
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("admin:login"))
    claim.refresh_from_db()
    assert claim.attribute != "hijacked"
    assert row_counts() == before


def test_a_deactivated_editor_token_writes_nothing(world: World) -> None:
    editor = world.users["editor"]
    client = client_for("editor_token", world)
    editor.is_active = False
    editor.save(update_fields=["is_active"])
    before = row_counts()
    answer = client.post("/api/v1/subjects/", {"name": "Ghost subject"}, format="json")
    assert answer.status_code == 401
    assert row_counts() == before
    assert not Subject.objects.filter(name="Ghost subject").exists()
