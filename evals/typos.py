"""Questions typed the way people type, made reproducibly (issue 15). With `eval --typos SEED` each question is also
asked with two of its longer words misspelled (a letter left out, two letters swapped, or one typed twice), and the
report says how often the verdict and the first quote stay what they were for the question as written. The
misspellings depend only on the seed and the case id, so two runs (before and after a change) ask the same ones."""
from __future__ import annotations

import random
import re

_WORD = re.compile(r"[A-Za-zÅÄÖåäöÉé]{6,}")
WORDS_PER_QUESTION = 2


def misspell(question: str, seed: int, case_id: str) -> str:
    """The question with WORDS_PER_QUESTION of its words of six letters or more misspelled by one edit each."""
    rng = random.Random(f"{seed}:{case_id}")
    words = list(_WORD.finditer(question))
    out = question
    for m in sorted(rng.sample(words, min(WORDS_PER_QUESTION, len(words))), key=lambda m: -m.start()):
        word = m.group(0)
        i = rng.randrange(1, len(word) - 2)          # not the first letter: typos seldom fall there
        edit = rng.choice(("leave out", "swap", "double"))
        typed = (word[:i] + word[i + 1:] if edit == "leave out" else
                 word[:i] + word[i + 1] + word[i] + word[i + 2:] if edit == "swap" else
                 word[:i] + word[i] + word[i:])
        out = out[:m.start()] + typed + out[m.end():]
    return out


def first_quote(answer: dict | None) -> str:
    citations = (answer or {}).get("citations") or []
    return citations[0].get("quote", "") if citations else ""


def agreement(records: list[dict]) -> dict:
    """How often the misspelled question got the clean question's verdict and first quote, and its verdict accuracy."""
    asked = [r for r in records if "typed_verdict" in r]
    if not asked:
        return {}
    n = len(asked)
    return {"cases": n,
            "verdict_agreement": round(sum(r["typed_verdict"] == r["verdict"] for r in asked) / n, 4),
            "first_quote_agreement": round(sum(r["typed_same_quote"] for r in asked) / n, 4),
            "typed_verdict_accuracy": round(sum(r["typed_verdict"] == r["gold_verdict"] for r in asked) / n, 4)}
