class PolicyAssistantError(Exception):
    """An expected failure with a message fit for one line on a terminal."""


class IngestError(PolicyAssistantError):
    pass


class StoreError(PolicyAssistantError):
    pass
