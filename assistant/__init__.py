"""Answering: retrieval, decision, cited answers, and the CLI/UI on top."""
from ingest import offline as _offline  # noqa: F401  (sets the offline switches first)
