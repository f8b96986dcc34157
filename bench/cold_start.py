"""Cold start in a fresh process: imports, `Assistant(settings)` (model load, store open, sentence vectors), first answer.

Run by bench.run as `python -m bench.cold_start SETTINGS_JSON ORGANISATION QUESTION`; prints one JSON line.
"""
from __future__ import annotations

import json
import sys
import time


def main(argv: list[str]) -> int:
    config, organisation, question = argv
    t0 = time.perf_counter()
    from assistant.engine import Assistant
    from assistant.settings import load_settings

    settings = load_settings(**json.loads(config))
    t1 = time.perf_counter()
    assistant = Assistant(settings)
    t2 = time.perf_counter()
    answer = assistant.ask(question, organisation)
    t3 = time.perf_counter()
    print(json.dumps({"import_s": round(t1 - t0, 4), "assistant_s": round(t2 - t1, 4), "first_ask_s": round(t3 - t2, 4),
                      "assistant_to_answer_s": round(t3 - t1, 4), "verdict": answer.verdict}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
