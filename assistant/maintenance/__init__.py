"""The maintainer workspace's backend (Förvaltning): publish document versions after a preview, see what changed,
the audit log, usage counts and the unanswered-questions queue, and evals in the background. The CLI
(`assistant/cli.py`) and the tab (`assistant/ui/workspace.py`) are thin layers over these modules."""
