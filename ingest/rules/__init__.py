"""Rules read at ingest: see reader.py (inference) and train.py (`make train`)."""
from ingest.rules.reader import GOVERNS, MODALITIES, RULES, Reading, RuleReader, get_reader

__all__ = ["GOVERNS", "MODALITIES", "RULES", "Reading", "RuleReader", "get_reader"]
