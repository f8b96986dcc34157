"""Sensitive content in a question: Swedish identity numbers, contact details, special categories, secrecy.

Found before anything else; what is stored or logged is the redacted text only.

Numbers are matched on a 1:1 translation of the text (every Unicode dash to '-', every odd space to ' ',
full-width and other decimal digits to ASCII), so that "19121212–1212" as Word writes it, or digits typed on a
Japanese keyboard, are found too; as the translation keeps every position, each match is replaced in the
original text. Every pattern here runs in linear time: quantifiers are bounded or possessive, and a pattern
that may start inside a run of the characters it matches first has a lookbehind that forbids it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Callable


def _translation() -> dict[int, int]:
    """Code point -> code point: dashes to '-', spaces to ' ', decimal digits to ASCII, full-width ASCII to ASCII."""
    table: dict[int, int] = {}
    for cp in range(128, 0x20000):                         # no space, dash or digit lies above (checked in tests)
        ch = chr(cp)
        if ch.isspace():
            table[cp] = ord(" ")
        elif unicodedata.category(ch) == "Pd" or cp in (0x2212, 0x00AD, 0xFE63, 0xFF0D):  # dashes, minus, soft hyphen
            table[cp] = ord("-")
        elif ch.isdecimal():
            table[cp] = ord("0") + unicodedata.decimal(ch)
        elif 0xFF01 <= cp <= 0xFF5E:                        # full-width ASCII: ＠ ＋ （ ） ． ／ and letters
            table[cp] = cp - 0xFF01 + 0x21
    for cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF):    # zero-width spaces and joiners
        table[cp] = ord(" ")
    for cp in (0x09, 0x0A, 0x0B, 0x0C, 0x0D):
        table[cp] = ord(" ")
    return table


_TABLE = _translation()


def normalise(text: str) -> str:
    """The text with the same length and positions, in the characters the patterns below expect."""
    return text.translate(_TABLE)


# YYYYMMDD-NNNN / YYMMDD-NNNN / YYMMDD+NNNN / without separator, with a space between the date's groups or
# spaces around the separator. Coordination numbers add 60 to the day.
_SERIAL_SEP = r"(?:[ ]{0,3}(?P<sep>[-+])[ ]{0,3}|[ ]{1,3})?"
PNR = re.compile(r"(?<![0-9-])(?P<century>19|20)?(?P<year>[0-9]{2})[ ]?(?P<month>[0-9]{2})[ ]?(?P<day>[0-9]{2})"
                 + _SERIAL_SEP + r"(?P<serial>[0-9]{3})(?P<check>[0-9])(?![0-9-])")
PNR_SHORT = re.compile(r"(?P<century>)(?P<year>[0-9]{2})[ ]?(?P<month>[0-9]{2})[ ]?(?P<day>[0-9]{2})"
                       + _SERIAL_SEP + r"(?P<serial>[0-9]{3})(?P<check>[0-9])(?![0-9-])")
# The local part may not start inside a run of local-part characters (the old pattern, which could, tried
# every start of a long word and was quadratic); the runs are possessive and '@' and '.' lie outside the classes
# they follow, so nothing is ever re-read.
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,256}+@[\w-]{1,63}+(?:\.[\w-]{1,63}+){1,16}+")
# Swedish phone numbers: 070-123 45 67, 08-718 80 00, (070) 123 45 67, 070/1234567, 070.123.45.67,
# +46 70 123 45 67, +46 (0)70-123 45 67, 0046 8 718 80 00. A candidate is a run of digit groups with short
# separators, never starting inside a word or a number (2025-01-07); _phone_end decides how many of its groups
# form the number.
_SEP = r"(?:[ ]{1,3}|[ ]{0,2}[-/.][ ]{0,2})"
PHONE = re.compile(r"(?<!\w)(?<![0-9][-/.:,])"
                   r"(?P<prefix>(?P<intl>(?:\+[ ]?|00)46)" + _SEP + r"?(?:\(0\)[ ]{0,2})?(?=[1-9])"
                   r"|(?P<paren>\(0[1-9][0-9]{0,3}\))[ ]{0,2}(?=[0-9])|(?=0[1-9]))"
                   r"(?P<body>[0-9]{1,12}+(?:" + _SEP + r"[0-9]{1,12}+){0,5}+)")
_SPLIT = re.compile(r"([^0-9]+)")

SPECIAL = {
    "health": r"hälsa|hälso|sjuk|diagnos|diabetes|cancer|depression|missbruk|journal|medicin|läkemedel|psykisk|funktionsnedsättning|health|medical|diagnos|illness|disease|patient",
    "ethnic_origin": r"etnisk|ursprung|\bras\b|ethnic|racial",
    "religion": r"religi|\btro\b|trosuppfattning|muslim|kristen|jud(e|isk)|religio|faith",
    "political_opinion": r"politisk åsikt|political opinion",
    "trade_union": r"fackförening|fackligt|facklig|trade union|union member",
    "sexual_orientation": r"sexuell läggning|sexualliv|homosexuell|sexual orientation|sex life",
    "biometrics": r"biometri|fingeravtryck|ansiktsigenkänning|biometric|fingerprint|face recognition",
    "genetics": r"genetisk|\bdna\b|genetic",
}
SECRECY = r"sekretess|sekretessbelagd|akt(?<!\wakt)(en|er|erna)?\b|(?:socialtjänst|person|elev|patient|barn)akt|socialtjänst|journal|tystnadsplikt|osl\b|confidential|secrecy|case file|classified"
# Searched in the lower-cased text: without re.I the engine skips ahead to a possible first letter, which
# makes these searches about ten times faster on long text. ("akt(?<!\wakt)" is "\bakt", written so.)
_SPECIAL = {k: re.compile(v) for k, v in SPECIAL.items()}
_SECRECY = re.compile(SECRECY)


_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)   # the digit sum of 2 * d


def luhn_ok(digits: str) -> bool:
    values = list(map(int, digits))
    return (sum(map(_DOUBLED.__getitem__, values[0::2])) + sum(values[1::2])) % 10 == 0


def _valid_date(year: str, month: str, day: str) -> bool:
    y = int(year) if len(year) == 4 else 1900 + int(year)
    d = int(day)
    if d > 60:  # samordningsnummer
        d -= 60
    try:
        date(y if len(year) == 4 else 2000, int(month), d)
    except ValueError:
        return False
    return True


@dataclass
class SensitiveFindings:
    identity_numbers: int = 0
    coordination_numbers: int = 0
    emails: int = 0
    phones: int = 0
    special_categories: list[str] = field(default_factory=list)
    secrecy: bool = False

    @property
    def personal_data(self) -> bool:
        return bool(self.identity_numbers or self.coordination_numbers or self.emails or self.phones)

    @property
    def any(self) -> bool:
        return self.personal_data or bool(self.special_categories) or self.secrecy

    def as_dict(self) -> dict:
        return {"identity_numbers": self.identity_numbers, "coordination_numbers": self.coordination_numbers,
                "emails": self.emails, "phones": self.phones, "special_categories": self.special_categories,
                "secrecy": self.secrecy, "personal_data": self.personal_data}


def _pnr_kind(m: re.Match) -> str | None:
    """'identity' or 'coordination' for a valid number (a real date, the Luhn check digit), else None."""
    century, year, month, day, _, serial, check = m.groups()
    if century:
        year = century + year
    if not _valid_date(year, month, day) or not luhn_ok(year[-2:] + month + day + serial + check):
        return None
    return "coordination" if int(day) > 60 else "identity"


def _pnr_at(m: re.Match) -> tuple[int, str] | None:
    """The end and kind of a valid number at m's start: as matched, or read without the century."""
    kind = _pnr_kind(m)
    if kind:
        return m.end(), kind
    if m.group("century"):
        short = PNR_SHORT.match(m.string, m.start())
        if short and (kind := _pnr_kind(short)):
            return short.end(), kind
    return None


_YEAR = ("19", "20")


def _phone_end(m: re.Match) -> int | None:
    """Where the phone number in the candidate m ends, or None: the most digit groups that make a Swedish
    number of 8 to 10 digits (0 and area code included) and not a date (07.01.2025) or times (08.00-17.00)."""
    intl, paren = m.group("intl"), m.group("paren")
    national = 1 if intl else len(paren) - 2 if paren else 0     # +46 (0)70 and +46 70 stand for 070
    minimum = 7 if intl else 8
    end = m.end("prefix")
    parts = _SPLIT.split(m.group("body"))                         # group, separator, group, ...
    best = None
    dotted = False
    for k in range(0, len(parts), 2):
        group = parts[k]
        if k:
            sep = parts[k - 1]
            end += len(sep)
            if k == 2:
                dotted = "." in sep
                if "/" in sep and len(group) == 4 and group[:2] in _YEAR:
                    break                   # KS 0123/2024: a case number (0123-2024 stays a phone number)
            elif "/" in sep or ("." in sep) != dotted:
                break                       # a slash only after the area code; dots everywhere or nowhere
        end += len(group)
        national += len(group)
        if national > 10 or len(group) > 10:
            break
        if national < minimum:
            continue
        if k == 4 and not (intl or paren) and parts[1].strip() and parts[3].strip() and (
                len(group) == 4 and len(parts[0]) <= 2 and len(parts[2]) <= 2
                or (len(parts[0]), len(parts[2]), len(group)) in ((4, 2, 2), (2, 2, 2))):
            continue                        # 07-01-2025, 7/1/2025: a date, not a phone number
        best = end
    return best


def _replace(pattern: re.Pattern, decide: Callable[[re.Match], tuple[int, str] | None],
             original: str, normal: str) -> tuple[str, str]:
    """Replace each match that decide() accepts (it returns the end and the replacement) in both texts.

    A rejected match is tried again one character later, so a number right after a rejected candidate is not
    missed; matches are short (bounded patterns), so this stays linear.
    """
    out_o: list[str] = []
    out_n: list[str] = []
    last = pos = 0
    n = len(normal)
    while pos <= n:
        m = pattern.search(normal, pos)
        if not m:
            break
        decided = decide(m)
        if decided is None:
            pos = m.start() + 1
            continue
        end, replacement = decided
        out_o += [original[last:m.start()], replacement]
        out_n += [normal[last:m.start()], replacement]
        last = pos = end
    if not out_o:
        return original, normal
    out_o.append(original[last:])
    out_n.append(normal[last:])
    return "".join(out_o), "".join(out_n)


def scan(text: str) -> tuple[SensitiveFindings, str]:
    """Findings and the text with identity numbers, e-mail addresses and phone numbers replaced."""
    found = SensitiveFindings()
    normal = normalise(text)

    def pnr(m: re.Match) -> tuple[int, str] | None:
        hit = _pnr_at(m)
        if not hit:
            return None
        end, kind = hit
        if kind == "coordination":
            found.coordination_numbers += 1
            return end, "[SAMORDNINGSNUMMER]"
        found.identity_numbers += 1
        return end, "[PERSONNUMMER]"

    def email(m: re.Match) -> tuple[int, str]:
        found.emails += 1
        return m.end(), "[E-POST]"

    def phone(m: re.Match) -> tuple[int, str] | None:
        end = _phone_end(m)
        if end is None:
            return None
        found.phones += 1
        return end, "[TELEFON]"

    redacted, now = _replace(PNR, pnr, text, normal)
    redacted, now = _replace(EMAIL, email, redacted, now)
    redacted, now = _replace(PHONE, phone, redacted, now)
    lower = normal.lower()
    found.special_categories = [k for k, rx in _SPECIAL.items() if rx.search(lower)]
    found.secrecy = bool(_SECRECY.search(lower))
    return found, redacted


def sensitive_words(text: str) -> list[str]:
    """The whole words in which the scanner finds special categories or secrecy ("personakt", "diagnosen")."""
    lower = text.lower()
    starts = [m.start() for rx in (_SECRECY, *_SPECIAL.values()) for m in rx.finditer(lower)]
    return [w.group(0) for w in re.finditer(r"[\w-]+", lower) if any(w.start() <= at < w.end() for at in starts)]


def redact(text: str) -> str:
    return scan(text)[1]
