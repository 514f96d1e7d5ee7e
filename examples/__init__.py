"""Programs built on runschema's public API alone (run them from the repository's root)."""
