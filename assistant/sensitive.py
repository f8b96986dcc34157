"""Sensitive content in a question: Swedish identity numbers, contact details, special categories, secrecy.

Found before anything else; what is stored or logged is the redacted text only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

# YYYYMMDD-NNNN / YYMMDD-NNNN / YYMMDD+NNNN / without separator. Coordination numbers add 60 to the day.
PNR = re.compile(r"(?<![\d-])((?:19|20)?\d{2})(\d{2})(\d{2})[-+ ]?(\d{3})(\d)(?![\d-])")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\d\w])(?:\+46[\s-]?\(?0?\)?|0)\d{1,3}(?:[\s-]?\d{2,3}){2,4}(?!\d)")

SPECIAL = {
    "health": r"hälsa|hälso|sjuk|diagnos|diabetes|cancer|depression|missbruk|journal|medicin|läkemedel|psykisk|funktionsnedsättning|health|medical|diagnos|illness|disease|patient",
    "ethnic_origin": r"etnisk|ursprung|ras\b|ethnic|racial",
    "religion": r"religi|tro\b|trosuppfattning|muslim|kristen|jud(e|isk)|religio|faith",
    "political_opinion": r"politisk åsikt|political opinion",
    "trade_union": r"fackförening|fackligt|facklig|trade union|union member",
    "sexual_orientation": r"sexuell läggning|sexualliv|homosexuell|sexual orientation|sex life",
    "biometrics": r"biometri|fingeravtryck|ansiktsigenkänning|biometric|fingerprint|face recognition",
    "genetics": r"genetisk|dna|genetic",
}
SECRECY = r"sekretess|sekretessbelagd|\bakt(en|er|erna)?\b|(?:socialtjänst|person|elev|patient|barn)akt|socialtjänst|journal|tystnadsplikt|osl\b|confidential|secrecy|case file|classified"
_SPECIAL = {k: re.compile(v, re.I) for k, v in SPECIAL.items()}
_SECRECY = re.compile(SECRECY, re.I)


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


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


def scan(text: str) -> tuple[SensitiveFindings, str]:
    """Findings and the text with identity numbers, e-mail addresses and phone numbers replaced."""
    found = SensitiveFindings()

    def pnr(m: re.Match) -> str:
        year, month, day, serial, check = m.groups()
        if not _valid_date(year, month, day) or not luhn_ok(year[-2:] + month + day + serial + check):
            return m.group(0)
        if int(day) > 60:
            found.coordination_numbers += 1
            return "[SAMORDNINGSNUMMER]"
        found.identity_numbers += 1
        return "[PERSONNUMMER]"

    redacted = PNR.sub(pnr, text)

    def email(m: re.Match) -> str:
        found.emails += 1
        return "[E-POST]"

    redacted = EMAIL.sub(email, redacted)

    def phone(m: re.Match) -> str:
        if len(re.sub(r"\D", "", m.group(0))) < 8:
            return m.group(0)
        found.phones += 1
        return "[TELEFON]"

    redacted = PHONE.sub(phone, redacted)
    found.special_categories = [k for k, rx in _SPECIAL.items() if rx.search(text)]
    found.secrecy = bool(_SECRECY.search(text))
    return found, redacted


def redact(text: str) -> str:
    return scan(text)[1]
