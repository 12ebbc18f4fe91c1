"""The REST API (API.md): serializers, thin viewsets, filters, pagination, exports and the OpenAPI schema. Reads
through claims.selectors, writes only through claims.services; imported by tracker.urls only."""
