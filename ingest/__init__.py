"""Documents' way into the store: load, repair, chunk, embed, write."""
from ingest import offline as _offline  # noqa: F401  (sets the offline switches first)
