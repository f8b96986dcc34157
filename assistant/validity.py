"""When a document is in force, as its own sentences give it ("att gälla från och med 2025-10-01 …, dock längst till
och med 2026-09-30", "Riktlinjen gäller från 2025-04-01", a header field "Gäller till: 2027-12-31"), against the time
a question asks about ("gäller de tillfälliga reglerna fortfarande i november 2026?"). The words are the domain
file's ([durations] in_force, valid_from, valid_until, months); the shapes of a date are read here."""
from __future__ import annotations

import calendar
import re
from datetime import date

from assistant.domain import shipped

_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
# "1 oktober 2025", "oktober 2025", "October 1, 2025" (a month's name, the day before or after it, and a year)
_NAMED = re.compile(r"(?<![\w-])(?:(\d{1,2})\s++)?([a-zåäö]{3,9}+)\.?\s++(?:(\d{1,2}),?\s++)?(\d{4})(?!\d)", re.I)
_LOOK_BACK = 40        # characters before a date read for the words that say what it is


def _dates(text: str) -> list[tuple[int, int, date, date]]:
    """Each date a text writes, in order: where it starts and ends, and the first and last day it can mean (a month
    means all of it)."""
    months = shipped().durations["months"]
    found = []
    for m in _ISO.finditer(text):
        try:
            day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
        found.append((m.start(), m.end(), day, day))
    for m in _NAMED.finditer(text):
        month = months.get(m.group(2).lower()[:3])
        if month is None:
            continue
        year, day = int(m.group(4)), m.group(1) or m.group(3)
        last = calendar.monthrange(year, int(month))[1]
        if day and not 1 <= int(day) <= last:
            continue
        first, end = (int(day), int(day)) if day else (1, last)
        found.append((m.start(), m.end(), date(year, int(month), first), date(year, int(month), end)))
    return sorted(found)


def period_in_force(sentence: str) -> tuple[date | None, date | None]:
    """The first and the last day a sentence says something is in force, where it says so (None where it does not)."""
    durations = shipped().durations
    if not durations["in_force"].search(sentence):
        return None, None
    start = end = None
    found = _dates(sentence)
    # (between the two dates of a range, "under perioden 2025-10-01–2026-03-31": the second is its last day)
    ranged = {n for n in range(1, len(found)) if durations["range"].fullmatch(sentence[found[n - 1][1]:found[n][0]])}
    for n, (at, _, first, last) in enumerate(found):
        before = sentence[max(0, at - _LOOK_BACK):at]
        if durations["valid_until"].search(before) or n in ranged:
            end = last if end is None else min(end, last)
        elif durations["valid_from"].search(before) or n + 1 in ranged:
            start = first if start is None else max(start, first)
    return start, end


def asked_period(question: str, *, when_done: bool = False) -> tuple[date, date] | None:
    """The time a question asks whether something is in force at ("i november 2026": that month), if it asks that;
    `when_done`: any time it names (a permission question's "Kan vi fortsätta köra den … i april 2026?")."""
    if not when_done and not shipped().durations["in_force"].search(question):
        return None
    found = _dates(question)
    if not found:
        return None
    return min(first for _, _, first, _ in found), max(last for _, _, _, last in found)


def _asked_and_given(sentence: str, question: str) -> tuple[tuple[date, date], date | None, date | None] | None:
    """The time the question asks whether something is in force at, and the first and last day the sentence gives."""
    asked = asked_period(question)
    return None if asked is None else (asked, *period_in_force(sentence))


def out_of_force(sentence: str, question: str) -> bool:
    """Whether the time the question asks about lies wholly outside the period the sentence gives."""
    if (read := _asked_and_given(sentence, question)) is None:
        return False
    asked, start, end = read
    return (start is not None and asked[1] < start) or (end is not None and asked[0] > end)


def in_force_at(sentence: str, question: str) -> bool:
    """Whether the time the question asks about lies wholly inside the period the sentence gives (a start, an end or
    both)."""
    if (read := _asked_and_given(sentence, question)) is None:
        return False
    asked, start, end = read
    return (start is not None or end is not None) and (start is None or asked[0] >= start) \
        and (end is None or asked[1] <= end)


def ended_by(sentence: str, question: str) -> bool:
    """Whether every time a permission question names lies after the last day the sentence allows something: "Kan vi
    fortsätta köra den … i april 2026?" and a pilot "under perioden 2025-10-01–2026-03-31". (Only the end: a date
    before a start is more often what the information is from, "protokollet från 2024-11-15", than when it is used.)"""
    asked = asked_period(question, when_done=True)
    if asked is None:
        return False
    end = period_in_force(sentence)[1]
    return end is not None and asked[0] > end


def period_said(sentence: str) -> str:
    """The clauses of a sentence that give its period, from the first dated one to the last ("att gälla från och med
    2025-10-01 till dess att …, dock längst till och med 2026-09-30"): what a first line repeats for a "no" by date."""
    clauses = re.split(r"(?<=[,;])\s++", sentence.strip())
    dated = [n for n, c in enumerate(clauses) if _dates(c)]
    return " ".join(clauses[dated[0]:dated[-1] + 1]).rstrip(",;") if dated else sentence
