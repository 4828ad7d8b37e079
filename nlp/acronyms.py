"""Acronym definitions in a paper: "Long Form (LF)", "Long Form [LF]" and "LF (Long Form)".

The long form is the shortest run of words before the bracket whose initials spell the acronym
(small words such as "and" or "of" may be skipped or may give a letter; a word may give several
letters, as "CSP" in "Herefordshire CSP (HCSP)"; one trailing head word such as "Group" may be
left out, as in "Multi Agency Tasking and Coordination Group (MATAC)"). The result merges
mentions ("the HCSSG" is the Hampshire Community Safety Strategy Group) and expands acronyms.
"""

from __future__ import annotations

import re
from functools import lru_cache

# words an acronym may skip; they may also give their letter ("SCaN (See Check and Notify)")
SMALL_WORDS = frozenset({"and", "of", "for", "the", "in", "on", "to", "&", "a", "an", "at", "by", "with"})
MAX_WORDS = 12

_ACRONYM = r"[A-Z][A-Za-z&]*[A-Z](?:'?s)?"  # HCSSG, SCaN, CSPs, CSP's
_WORD = re.compile(r"[A-Za-z][A-Za-z'’&-]*|&")
# "... Long Form (LF)" / "... Long Form [LF]": the bracket first, then the words before it
_BRACKETED = re.compile(r"[(\[]\s*(" + _ACRONYM + r")\s*[)\]]")
_CLAUSE_END = re.compile(r"[\s\S]*[.:;!?()\[\]\n]")
# "LF (Long Form)"
_SHORT_THEN_LONG = re.compile(r"\b(" + _ACRONYM + r")['’]?\s*[(\[]([A-Za-z][A-Za-z ,;'’&-]{3,120})[)\]]")


def _letters(short: str) -> str:
    """'CSP's' -> 'CSP', 'MARACs' -> 'MARAC', 'SCaN' -> 'SCaN'."""
    short = re.sub(r"'s$", "", short)
    if len(short) > 2 and short.endswith("s") and short[:-1].isupper():
        short = short[:-1]
    return short.replace("&", "")


@lru_cache(maxsize=4096)
def _spells(letters: str, words: tuple[str, ...]) -> bool:
    """Do `words`, in order, spell `letters` (case-insensitive) by their initials?"""
    if not words:
        return not letters
    word, rest = words[0], words[1:]
    low = word.lower()
    if low in SMALL_WORDS and _spells(letters, rest):
        return True
    if not letters:
        return False
    parts = [p for p in re.split(r"[-’']", low) if p]
    # the initials of the hyphen parts, or of the first part only ("Re-offending" -> R)
    for giving in ("".join(p[0] for p in parts), parts[0][0] if parts else ""):
        if giving and letters.lower().startswith(giving) and _spells(letters[len(giving) :], rest):
            return True
    # a word gives several letters when it starts with them ("CSP", "Wellbeing" -> "W")
    for k in range(2, len(letters) + 1):
        if low.startswith(letters[:k].lower()) and word[:k].isupper() and _spells(letters[k:], rest):
            return True
    return False


def long_form_before(words: list[str], short: str) -> str | None:
    """The shortest tail of `words` that spells `short`, allowing one trailing head word."""
    letters = _letters(short)
    if len(letters) < 2:
        return None
    for drop_last in (0, 1):
        if drop_last and (len(words) < 2 or not words[-1][:1].isupper()):
            break
        body = words[: len(words) - drop_last]
        for n in range(1, min(len(body), MAX_WORDS) + 1):
            tail = tuple(body[-n:])
            if tail[0].lower() in SMALL_WORDS or not tail[0][:1].isupper():
                continue
            if tail[0][0].lower() == letters[0].lower() and _spells(letters, tail):
                return " ".join(words[-n - drop_last :] if drop_last else tail)
    return None


def _long_form_inside(inner: str, short: str) -> str | None:
    """'See Check and Notify' for 'SCaN': the whole bracket must spell the acronym."""
    words = _WORD.findall(inner)
    if not words or not words[0][:1].isupper():
        return None
    return " ".join(words) if _spells(_letters(short), tuple(words)) else None


def find_acronyms(text: str) -> dict[str, str]:
    """Acronyms defined in `text`, short form (as written, plural and 's dropped) -> long form."""
    found: dict[str, str] = {}
    for m in _BRACKETED.finditer(text):
        short = m.group(1)
        before = text[max(0, m.start() - 160) : m.start()]
        before = _CLAUSE_END.sub("", before, count=1)  # words since the last clause break only
        long = long_form_before(_WORD.findall(before)[-MAX_WORDS:], short)
        if long and _letters(short) not in found:
            found[_letters(short)] = long.rstrip("'’")
    for m in _SHORT_THEN_LONG.finditer(text):
        short = m.group(1)
        long = _long_form_inside(m.group(2), short)
        if long and _letters(short) not in found:
            found[_letters(short)] = long
    return found
