"""The claims app: articles, their claims, the contradictions between claims, and the people and subjects they
name. docs/ARCHITECTURE.md maps its packages: pure logic (ingest, suggest, detect, present, values), the Django
layer (models, services, selectors, detection, tasks) and the two front doors (api, web)."""
