"""Answers the health probes (/healthz, /readyz) before host validation and the HTTPS redirect.

A container's health check (docker-compose's `http://127.0.0.1:8000/readyz`, a Kubernetes probe, a load balancer)
asks over plain HTTP with its own address as the Host, which production's ALLOWED_HOSTS rightly refuses (400) and
SECURE_SSL_REDIRECT would send to https. The probes build no URL from the Host and disclose nothing but readiness,
so this middleware, placed before SecurityMiddleware and CommonMiddleware, answers exactly these two paths itself;
every other path still meets the host check and the redirect.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from tracker import health

PROBES: dict[str, Callable[[HttpRequest], HttpResponse]] = {"/healthz": health.healthz, "/readyz": health.readyz}


class HealthProbeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        return probe(request) if probe is not None else self.get_response(request)
