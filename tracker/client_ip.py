"""The client's address as the login lockout (django-axes) counts it, behind TRUSTED_PROXY_COUNT reverse proxies.

Behind a proxy every request comes from the proxy's address (REMOTE_ADDR), so counting failures by it would lock
every user of one name out together, from everywhere. Each proxy appends the address it received the request from
to X-Forwarded-For, so with N trusted proxies the client's address is the N-th entry from the right; entries
further left were written by the client and are not trusted. With 0 (the default, no proxy) it is REMOTE_ADDR, and
X-Forwarded-For is ignored, since any client can send one. A header shorter than N, or an entry that is not an IP
address, falls back to REMOTE_ADDR. (axes' own AXES_IPWARE_* settings need django-ipware, which is not installed.)
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    remote: str | None = request.META.get("REMOTE_ADDR")
    count: int = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
