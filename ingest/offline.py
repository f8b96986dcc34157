"""Privacy switches that must hold before any library that could phone home is imported."""
import os

_SWITCHES = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
    "DO_NOT_TRACK": "1",
}


def enforce() -> None:
    # Forced rather than defaulted: a user's shell with HF_HUB_OFFLINE=0 must not re-enable hub lookups.
    os.environ.update(_SWITCHES)


enforce()
