"""Typo-tolerant name search that works the same on PostgreSQL and SQLite.

Each name token is indexed under several keys (people.NameKey): the folded token, its
Soundex and Metaphone codes, and its first four letters. A query token matches a person
when any of its keys does; a person is a candidate when every query token matches.
Candidates are then ranked by Jaro-Winkler similarity against the best of their names.
"""

from __future__ import annotations

from collections.abc import Iterable

import jellyfish
from django.db.models import Q, QuerySet

from safeguarding.core.text import fold

from .models import NameKey, Person


def token_keys(token: str) -> set[str]:
    if not token:
        return set()
    keys = {f"t:{token}", f"s:{jellyfish.soundex(token)}", f"m:{jellyfish.metaphone(token)}"}
    if len(token) >= 4:
        keys.add(f"p:{token[:4]}")
    return {k[:60] for k in keys}


def name_tokens(*names: str) -> list[str]:
    return [t for name in names for t in fold(name).split() if t]


def keys_for(names: Iterable[tuple[str, str]]) -> set[str]:
    keys: set[str] = set()
    for given, family in names:
        for token in name_tokens(given, family):
            keys |= token_keys(token)
        # "O'Brien" also matches "obrien" and "o brien": index the joined family name.
        joined = fold(family).replace(" ", "")
        if joined:
            keys |= token_keys(joined)
    return keys


def candidates(query: str) -> QuerySet[Person] | None:
    """People whose names could match every token of the query, or None for an empty query."""
    tokens = name_tokens(query)
    if not tokens:
        return None
    qs = Person.objects.all()
    for token in tokens[:4]:
        qs = qs.filter(id__in=NameKey.objects.filter(key__in=token_keys(token)).values("person_id"))
    return qs


def similarity(query: str, person: Person) -> float:
    """Best Jaro-Winkler score between the query and any of the person's names."""
    q = fold(query)
    names = [f"{person.given_name} {person.family_name}"]
    names += [f"{n.given_name} {n.family_name}" for n in person.other_names.all()]
    best = 0.0
    for name in names:
        folded = fold(name)
        reversed_name = " ".join(reversed(folded.split()))
        best = max(best, jellyfish.jaro_winkler_similarity(q, folded), jellyfish.jaro_winkler_similarity(q, reversed_name))
    return best


def exact_filters(*, date_of_birth=None, nhs_number: str = "", postcode: str = "") -> Q:  # type: ignore[no-untyped-def]
    q = Q()
    if date_of_birth:
        q &= Q(date_of_birth=date_of_birth) | Q(expected_due_date=date_of_birth)
    if nhs_number:
        q &= Q(nhs_number=nhs_number)
    if postcode:
        q &= Q(addresses__postcode=postcode)
    return q
