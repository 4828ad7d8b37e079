"""The one key names are compared by: bodies, operations, councils and committees alike.

`name_key("The Children's Safeguarding & Co-ordinating Sub-Group")` ->
"children safeguarding and coordinating subgroup": a possessive "'s" dropped, lower case, '&' read as
'and', every other character that is not a letter or digit a space, a leading "the" dropped, "op" read
as "operation", and the spelling variants councils use for one word joined. Everything that asks
whether two names are one name (nlp.kinds, nlp.names_merge, nlp.normalise, nlp.committees,
index.names) reads them through it; entity ids are hashes of it, so it changes only with a reason.
"""

from __future__ import annotations

import re

# spellings of one word written two ways in UK papers
VARIANTS = (
    ("co ordinat", "coordinat"),
    ("well being", "wellbeing"),
    ("re offend", "reoffend"),
    ("combatting", "combating"),
    ("multi agency", "multiagency"),
    ("sub group", "subgroup"),
    ("programme", "program"),
)
POSSESSIVE = re.compile(r"['’]s\b")
_OTHER = re.compile(r"[^a-z0-9]+")
_LEADING_THE = re.compile(r"^(?:the )+")


def name_key(name: str) -> str:
    """The form a name is compared in (see the module docstring)."""
    text = POSSESSIVE.sub("", name).lower().replace("&", " and ")
    key = _LEADING_THE.sub("", " ".join(_OTHER.sub(" ", text).split()))
    if key.startswith("op "):
        key = "operation " + key[3:]
    for a, b in VARIANTS:
        key = key.replace(a, b)
    return key
