"""Certificate codes: unguessable, typeable, self-checking."""

import pytest

from lms.certificates import codes


def test_new_codes_are_long_unique_and_valid():
    drawn = {codes.new_code() for _ in range(2000)}
    assert len(drawn) == 2000
    for code in list(drawn)[:50]:
        assert len(code) == 16 and codes.normalise(code) == code
        assert not set(code) & set("ILOU")


def test_typing_variants_are_accepted():
    code = codes.new_code()
    shown = codes.display(code)
    assert codes.normalise(shown.lower()) == code
    assert codes.normalise(" " + shown.replace("-", " ") + " ") == code
    confusable = code.replace("0", "O").replace("1", "I")
    assert codes.normalise(confusable) == code


@pytest.mark.parametrize("position", range(16))
def test_one_wrong_symbol_is_caught(position):
    code = codes.new_code()
    for replacement in codes.ALPHABET:
        if replacement != code[position]:
            typo = code[:position] + replacement + code[position + 1 :]
            assert codes.normalise(typo) is None


def test_garbage_is_rejected():
    for text in ("", "abc", "ZZZZ-ZZZZ", "<script>", "1234-5678-9ABC-DEFG-H", "\u0661" * 16):
        assert codes.normalise(text) is None
