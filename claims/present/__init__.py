"""Pure mappings from stored rows to the formats other tools read (CSV, JSON Lines, JSON-LD). No Django."""
