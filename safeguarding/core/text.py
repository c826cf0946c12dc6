"""Text normalisation shared by search, duplicate detection and validation."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")


def fold(text: str) -> str:
    """Lower-case, strip diacritics, drop apostrophes/hyphens, collapse spaces.

    "Zoë O'Brien-Smith" -> "zoe obriensmith" is *not* what we want for tokens, so
    hyphens become spaces and apostrophes vanish: "zoe obrien smith".
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower().replace("'", "").replace("’", "").replace("`", "")
    text = text.replace("-", " ")
    text = _NON_ALNUM.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def normalise_postcode(text: str) -> str | None:
    """Return a UK postcode as 'AB1 2CD', or None if it is not shaped like one."""
    compact = re.sub(r"\s+", "", text.upper())
    if len(compact) < 5:
        return None
    candidate = f"{compact[:-3]} {compact[-3:]}"
    return candidate if _POSTCODE.match(candidate) else None


def has_control_characters(text: str) -> bool:
    return any(unicodedata.category(c) == "Cc" and c not in "\n\r\t" for c in text)
