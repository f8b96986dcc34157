class PolicyAssistantError(Exception):
    """An expected failure with a message fit for one line on a terminal."""


class IngestError(PolicyAssistantError):
    pass


class StoreError(PolicyAssistantError):
    pass


class StoreDamaged(StoreError):
    """The store cannot be read as it is (a damaged file, a missing generation): `ingest --rebuild` makes a new one."""
