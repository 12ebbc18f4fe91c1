"""Content-Security-Policy on every HTML response (Django 5.2 has none built in).

The site's own pages (and the Django admin) load scripts and styles from files under /static/ only, so the policy
allows no inline code at all: markup injected into a page (an ingested article that escaped escaping) could not run
a script.

One relaxation, for third-party pages we do not template ourselves: under /api/ (the Swagger UI at /api/docs/ and
DRF's browsable API) inline *styles* are allowed, because both packages' templates carry a `<style>` block and
`style=""` attributes. Scripts stay 'self'-only there too: Swagger UI's start-up script comes from a URL
(SpectacularSwaggerSplitView), and the browsable API has no inline script.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            response.headers.setdefault("Content-Security-Policy", policy_for(request.path))
        return response


API_POLICY = POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


def policy_for(path: str) -> str:
    return API_POLICY if path.startswith("/api/") else POLICY
