"""Bundled data: the sample report, the JSON schema, icons."""
