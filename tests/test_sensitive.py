import pytest
from hypothesis import given, strategies as st

from assistant.sensitive import luhn_ok, redact, scan


def with_check(nine: str) -> str:
    return next(nine + str(c) for c in range(10) if luhn_ok(nine + str(c)))


VALID = with_check("811218987")          # 811218-987C
COORD = with_check("811278987")          # day 18 + 60: samordningsnummer


@pytest.mark.parametrize("form", [
    f"{VALID[:6]}-{VALID[6:]}", VALID, f"19{VALID[:6]}-{VALID[6:]}", f"19{VALID}", f"{VALID[:6]}+{VALID[6:]}",
])
def test_identity_numbers_in_every_form_are_found_and_redacted(form):
    found, text = scan(f"Kan jag skriva in Karin Berg {form} i ChatGPT?")
    assert found.identity_numbers == 1 and found.personal_data
    assert form not in text and "[PERSONNUMMER]" in text


def test_checksum_invalid_numbers_are_not_identity_numbers():
    bad = VALID[:-1] + str((int(VALID[-1]) + 1) % 10)
    found, text = scan(f"Ärendenummer {bad[:6]}-{bad[6:]}")
    assert found.identity_numbers == 0 and bad[6:] in text


def test_impossible_dates_are_not_identity_numbers():
    found, _ = scan(with_check("811332987"))  # month 13
    assert found.identity_numbers == 0


def test_coordination_number():
    found, text = scan(f"samordningsnummer {COORD[:6]}-{COORD[6:]}")
    assert found.coordination_numbers == 1 and "[SAMORDNINGSNUMMER]" in text


def test_email_and_phone():
    found, text = scan("Mejla karin.berg@nacka.se eller ring 070-123 45 67 eller +46 8 718 80 00")
    assert found.emails == 1 and found.phones == 2
    assert "@" not in text and "070" not in text and "718" not in text


@pytest.mark.parametrize("question,category", [
    ("Får jag skriva in att eleven har diabetes?", "health"),
    ("Can I paste notes about a client's religion?", "religion"),
    ("Uppgifter om fackföreningsmedlemskap", "trade_union"),
    ("information om sexuell läggning", "sexual_orientation"),
    ("fingeravtryck för inloggning", "biometrics"),
    ("genetiska testresultat", "genetics"),
    ("etniskt ursprung i statistik", "ethnic_origin"),
])
def test_special_categories(question, category):
    assert category in scan(question)[0].special_categories


@pytest.mark.parametrize("question", ["Får jag klistra in en socialtjänstakt?", "uppgifter som omfattas av sekretess",
                                      "Is a confidential case file OK?", "jag har tystnadsplikt"])
def test_secrecy(question):
    assert scan(question)[0].secrecy


def test_plain_question_has_no_findings():
    found, text = scan("Vem beslutar om riskklassning av AI-system? År 2025, punkt 12.")
    assert not found.any and text == "Vem beslutar om riskklassning av AI-system? År 2025, punkt 12."


@given(st.text(max_size=300))
def test_redaction_never_crashes_and_never_leaves_a_valid_number(text):
    out = redact(text + " " + VALID)
    assert VALID not in out
