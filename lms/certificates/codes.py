"""Certificate codes: unguessable, easy to type, with a check character.

15 random symbols from Crockford's base-32 alphabet (75 bits) plus one
Luhn mod 32 check symbol, shown as XXXX-XXXX-XXXX-XXXX. The alphabet has no
I, L, O or U; when read back, O counts as 0 and I or L as 1, case, spaces and
dashes are ignored. The check symbol catches every single wrong symbol and
most swaps of neighbours before the database is asked.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_LENGTH = 15
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _check_symbol(symbols):
    """Luhn mod N over the alphabet."""
    factor, total, n = 2, 0, len(ALPHABET)
    for char in reversed(symbols):
        addend = factor * _VALUE[char]
        total += addend // n + addend % n
        factor = 1 if factor == 2 else 2
    return ALPHABET[(n - total % n) % n]


def new_code():
    """Return a fresh code without dashes (16 symbols)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return body + _check_symbol(body)


def normalise(text):
    """Return the canonical code for what a person typed, or None if it cannot be one."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch not in " -\u00a0\t").translate(_CONFUSABLE)
    if len(cleaned) != RANDOM_LENGTH + 1 or any(ch not in _VALUE for ch in cleaned):
        return None
    if _check_symbol(cleaned[:-1]) != cleaned[-1]:
        return None
    return cleaned


def display(code):
    """Group a code in fours for printing."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
