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


@pytest.mark.parametrize("question", ["Får texten publiceras på webben?", "Hur länge sparas chattarna?",
                                      "Ska beslutet diarieföras och registreras?", "Vi går en intro om AI på metro-kontoret."])
def test_words_that_end_like_a_special_category_word_are_not_one(question):
    # "ras" and "tro" are whole words only: "publiceras", "sparas" and "intro" say nothing about origin or faith.
    assert not scan(question)[0].special_categories


def test_plain_question_has_no_findings():
    found, text = scan("Vem beslutar om riskklassning av AI-system? År 2025, punkt 12.")
    assert not found.any and text == "Vem beslutar om riskklassning av AI-system? År 2025, punkt 12."


@given(st.text(max_size=300))
def test_redaction_never_crashes_and_never_leaves_a_valid_number(text):
    out = redact(text + " " + VALID)
    assert VALID not in out


# -- properties: every way a number is written is found; dates, years and case numbers are not -------------

from datetime import date as _date  # noqa: E402

from hypothesis import assume, settings as hsettings  # noqa: E402

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
DASHES = ["-", "–", "—", "\u2212", "\u2011", "\u2010"]            # hyphen-minus, en, em, minus, non-breaking, hyphen
SPACES = [" ", "\u00a0", "\u2009", "\u202f"]                      # space, no-break, thin, narrow no-break
WORDS = st.sampled_from(["", "Karin Berg ", "pnr: ", "Personnummer ", "(", "Kan jag skriva in ", "\n", "Lars Ek, "])
TAILS = st.sampled_from(["", " i ChatGPT?", ")", ".", "?", ", tack.", "\n", " och hennes adress"])


def _digits_of(text: str) -> str:
    return "".join(ch for ch in text if ch.isdecimal())


@st.composite
def identity_numbers(draw):
    """(text, kind, digits) for a valid personnummer or samordningsnummer, written in one of the ways people do."""
    born = draw(st.dates(min_value=_date(1900, 1, 1), max_value=_date(2099, 12, 31)))
    coordination = draw(st.booleans())
    day = born.day + (60 if coordination else 0)
    yymmdd = f"{born.year % 100:02d}{born.month:02d}{day:02d}"
    nine = yymmdd + draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    ten = with_check(nine)
    century = draw(st.booleans())
    date_part = (f"{born.year // 100}" if century else "") + ten[:6]
    if draw(st.booleans()):                                          # 1912 12 12-1212
        gap = draw(st.sampled_from(SPACES))
        date_part = date_part[:-4] + gap + date_part[-4:-2] + gap + date_part[-2:]
    sep = draw(st.one_of(st.just(""), st.just("+"), st.sampled_from(DASHES), st.sampled_from(SPACES),
                         st.builds(lambda d, s: s + d + s, st.sampled_from(DASHES), st.sampled_from(SPACES))))
    written = date_part + sep + ten[6:]
    if draw(st.booleans()):
        written = written.translate(FULL_WIDTH)
    return written, "coordination" if coordination else "identity", (f"{born.year // 100}" if century else "") + ten


@hsettings(max_examples=400, deadline=None)
@given(numbers=st.lists(identity_numbers(), min_size=1, max_size=3), head=WORDS, tail=TAILS)
def test_identity_numbers_written_any_way_are_redacted(numbers, head, tail):
    text = head + " och ".join(n[0] for n in numbers) + tail
    found, redacted = scan(text)
    assert found.identity_numbers == sum(n[1] == "identity" for n in numbers), (text, redacted)
    assert found.coordination_numbers == sum(n[1] == "coordination" for n in numbers), (text, redacted)
    assert found.phones == 0 and found.emails == 0
    assert not _digits_of(redacted), (text, redacted)              # no digit of any number is left
    for _, kind, _digits in numbers:
        assert ("[SAMORDNINGSNUMMER]" if kind == "coordination" else "[PERSONNUMMER]") in redacted


def _is_identity_number(ten: str) -> bool:
    """Independent check: could these ten digits be read as a personnummer (valid date, Luhn)?"""
    from assistant.sensitive import _valid_date

    return _valid_date(ten[:2], ten[2:4], ten[4:6]) and luhn_ok(ten)


def _group(subscriber: str) -> list[str]:
    """Subscriber digits grouped the Swedish way: 123 45 67, 12 34 56, 123 45."""
    n = len(subscriber)
    sizes = {5: [3, 2], 6: [2, 2, 2], 7: [3, 2, 2], 8: [3, 3, 2]}[n]
    out, i = [], 0
    for s in sizes:
        out.append(subscriber[i:i + s])
        i += s
    return out


@st.composite
def phone_numbers(draw):
    """(text, digits) for a Swedish mobile or landline number in one of the ways it is written."""
    kind = draw(st.sampled_from(["mobile", "stockholm", "area3", "area4"]))
    if kind == "mobile":
        area, length = "07" + draw(st.sampled_from("02369")), 7
    elif kind == "stockholm":
        area, length = "08", draw(st.sampled_from([6, 7]))
    elif kind == "area3":
        area, length = "0" + draw(st.sampled_from(["31", "40", "13", "11", "19", "54", "90"])), draw(st.sampled_from([6, 7]))
    else:
        area, length = "0" + draw(st.sampled_from(["910", "586", "122", "980", "521"])), draw(st.sampled_from([5, 6]))
    subscriber = draw(st.from_regex(rf"[1-9][0-9]{{{length - 1}}}", fullmatch=True))
    dash, space = draw(st.sampled_from(DASHES[:2] + ["\u2011"])), draw(st.sampled_from(SPACES))
    groups = _group(subscriber)
    spaced = space.join(groups)
    style = draw(st.sampled_from(["dash", "space", "plain", "paren", "slash", "dots", "intl", "intl0", "intlplain", "0046"]))
    written = {
        "dash": f"{area}{dash}{spaced}",                   # 070-123 45 67
        "space": f"{area}{space}{spaced}",                 # 070 123 45 67
        "plain": f"{area}{subscriber}",                    # 0701234567
        "paren": f"({area}){space}{spaced}",               # (070) 123 45 67
        "slash": f"{area}/{subscriber}",                   # 070/1234567
        "dots": ".".join([area] + groups),                 # 070.123.45.67
        "intl": f"+46{space}{area[1:]}{space}{spaced}",    # +46 70 123 45 67
        "intl0": f"+46{space}(0){area[1:]}{dash}{spaced}", # +46 (0)70-123 45 67
        "intlplain": f"+46{area[1:]}{subscriber}",         # +46701234567
        "0046": f"0046{space}{area[1:]}{space}{spaced}",   # 0046 70 123 45 67
    }[style]
    digits = area + subscriber
    if style in ("plain", "intlplain"):                    # without separators the digits may also be a personnummer
        plain = _digits_of(written)
        assume(not any(_is_identity_number(plain[i:i + 10]) for i in range(len(plain) - 9)))
    if draw(st.booleans()):
        written = written.translate(FULL_WIDTH)
    return written, digits


@hsettings(max_examples=400, deadline=None)
@given(numbers=st.lists(phone_numbers(), min_size=1, max_size=3),
       head=st.sampled_from(["", "Ring ", "tel: ", "Mitt nummer är ", "(", "Kontakt:\n"]),
       tail=st.sampled_from(["", " i morgon.", "?", ")", ", tack", "\n"]))
def test_phone_numbers_written_any_way_are_redacted(numbers, head, tail):
    text = head + " eller ".join(n[0] for n in numbers) + tail
    found, redacted = scan(text)
    assert found.phones == len(numbers), (text, redacted)
    assert found.identity_numbers == found.coordination_numbers == found.emails == 0, (text, redacted)
    assert not _digits_of(redacted), (text, redacted)
    assert redacted.count("[TELEFON]") == len(numbers)


def _unchanged(text: str) -> None:
    found, redacted = scan(text)
    assert redacted == text and not found.personal_data, (text, redacted, found.as_dict())


@hsettings(max_examples=300, deadline=None)
@given(day=st.dates(min_value=_date(1900, 1, 1), max_value=_date(2099, 12, 31)), dash=st.sampled_from(DASHES),
       form=st.sampled_from(["iso", "iso-dash", "dotted", "slashed", "dashed", "words", "range", "year", "time"]),
       head=st.sampled_from(["", "Beslutad ", "Gäller från ", "(", "år "]), tail=st.sampled_from(["", ".", ")", " av KS", "?"]))
def test_dates_years_and_times_are_left_alone(day, dash, form, head, tail):
    months = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
              "november", "december"]
    written = {
        "iso": day.isoformat(),                                          # 2025-01-07
        "iso-dash": day.isoformat().replace("-", dash),                  # 2025–01–07
        "dotted": f"{day.day:02d}.{day.month:02d}.{day.year}",          # 07.01.2025
        "slashed": f"{day.day:02d}/{day.month:02d}/{day.year}",         # 07/01/2025
        "dashed": f"{day.day:02d}-{day.month:02d}-{day.year}",          # 07-01-2025
        "words": f"{day.day} {months[day.month - 1]} {day.year}",       # 7 januari 2025
        "range": f"{day.year}{dash}{day.year + 3}",                     # 2019–2022
        "year": f"{day.year}",
        "time": f"kl. {day.month:02d}.{day.day % 60:02d}{dash}{(day.month + 8) % 24:02d}.00",   # kl. 08.30–17.00
    }[form]
    _unchanged(head + written + tail)


@hsettings(max_examples=300, deadline=None)
@given(year=st.integers(2000, 2035), serial=st.integers(1, 9999), letters=st.sampled_from(["KS", "BUN", "SN", "KFN", "TN"]),
       form=st.sampled_from(["dnr", "dnr-compact", "slash", "dash", "paragraph", "amount", "sfs", "eu", "point"]))
def test_case_numbers_paragraphs_and_amounts_are_left_alone(year, serial, letters, form):
    written = {
        "dnr": f"Dnr {letters} {year}/{serial}",                         # Dnr KS 2024/123
        "dnr-compact": f"Dnr {year % 100:02d}{letters}{serial}",         # Dnr 24KS166
        "slash": f"{letters} {year}/{serial:04d}",                       # KS 2024/0123
        "dash": f"{letters}-{year}-{serial:04d}",                        # KS-2024-0123
        "paragraph": f"§ {serial % 40} och kapitel {serial % 12} § {serial % 7}",
        "amount": f"{serial} {serial % 1000:03d} 000 kr",               # 1 234 000 kr
        "sfs": f"SFS {year}:{serial}",                                   # SFS 2018:218
        "eu": f"förordning (EU) {year - 4}/{serial % 1000}",             # (EU) 2016/679
        "point": f"punkt {serial % 9}.{serial % 7}.{serial % 5}",
    }[form]
    _unchanged(written)


def test_translation_covers_every_dash_space_and_digit():
    import sys
    import unicodedata

    from assistant.sensitive import normalise

    odd = [chr(cp) for cp in range(128, sys.maxunicode + 1)
           if chr(cp).isspace() or chr(cp).isdecimal() or unicodedata.category(chr(cp)) == "Pd"]
    assert odd and all(len(normalise(ch)) == 1 and normalise(ch) in "- 0123456789" for ch in odd)


@pytest.mark.parametrize("form,kind", [
    ("19121212–1212", "[PERSONNUMMER]"), ("19121212—1212", "[PERSONNUMMER]"), ("19121212\u22121212", "[PERSONNUMMER]"),
    ("19121212\u20111212", "[PERSONNUMMER]"), ("19121212 - 1212", "[PERSONNUMMER]"), ("1912 12 12-1212", "[PERSONNUMMER]"),
    ("１９１２１２１２-１２１２", "[PERSONNUMMER]"), ("19121212\u00a01212", "[PERSONNUMMER]"),
    ("1912\u200912\u200912\u2009-\u20091212", "[PERSONNUMMER]"),
    ("(070) 123 45 67", "[TELEFON]"), ("070/1234567", "[TELEFON]"), ("070.123.45.67", "[TELEFON]"),
    ("+46 (0)70-123 45 67", "[TELEFON]"), ("070\u00a0123\u00a045\u00a067", "[TELEFON]"), ("0046 8 718 80 00", "[TELEFON]"),
    ("08-718 80 00", "[TELEFON]"), ("karin.berg@nacka.se", "[E-POST]"), ("ｋａｒｉｎ＠ｎａｃｋａ．ｓｅ", "[E-POST]"),
])
def test_reported_forms_are_redacted(form, kind):
    found, text = scan(f"Kan jag skriva in Karin Berg {form} i ChatGPT?")
    assert found.personal_data and kind in text and text.count("[") == 1
    assert text == f"Kan jag skriva in Karin Berg {kind} i ChatGPT?"


@pytest.mark.parametrize("text", [
    "Beslutad 2025-01-07 av KS, § 5, Dnr 24KS166.", "Gäller 2019–2025.", "kl. 08.00–17.00", "07.01.2025",
    "Dnr KS 2024/0123", "förordning (EU) 2016/679", "SFS 2018:218", "1 000 000 kr", "punkt 3.2.1", "år 2025, punkt 12",
    "070-123 4",         # seven digits: too short for a phone number
    "0123456789012345",  # sixteen digits: not a phone number
])
def test_dates_amounts_and_case_numbers_are_not_redacted(text):
    found, redacted = scan(text)
    assert redacted == text and not found.personal_data


def test_a_number_right_after_a_date_or_a_rejected_candidate_is_still_found():
    found, text = scan("Möte 07.01.2025 070-123 45 67 och 2025-01-07 08-718 80 00, kl. 08.30 070-765 43 21")
    assert found.phones == 3 and text == "Möte 07.01.2025 [TELEFON] och 2025-01-07 [TELEFON], kl. 08.30 [TELEFON]"
    found, text = scan(f"Nr 12 {VALID[:6]}-{VALID[6:]} och 2019 {VALID}")
    assert found.identity_numbers == 2 and VALID[:6] not in text


def test_two_numbers_in_a_row_are_two_phones():
    found, text = scan("070-123 45 67 08-718 80 00")
    assert found.phones == 2 and text == "[TELEFON] [TELEFON]"
    found, text = scan("Ring (08-718 80 00) eller 070-123 45 67 12 gånger")
    assert found.phones == 2 and text == "Ring ([TELEFON]) eller [TELEFON] 12 gånger"


@pytest.mark.parametrize("size", [40_000, 2_000_000])
def test_long_hostile_text_is_scanned_quickly(size):
    import time

    for piece in ["a", "1", " ", "a.", "a@", "01 ", "07.01.2025 ", "karin@nacka.se ", "å "]:
        text = (piece * (size // len(piece) + 1))[:size]
        start = time.thread_time()
        scan(text)
        assert time.thread_time() - start < (0.25 if size == 40_000 else 3.0), (piece, size)
