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


def query_tokens(query: str) -> list[str]:
    """Tokens of a search query; a lone letter joins the next token ("o brien" -> "obrien")."""
    tokens: list[str] = []
    pending = ""
    for token in name_tokens(query):
        if len(token) == 1:
            pending += token
            continue
        tokens.append(pending + token)
        pending = ""
    if pending:
        tokens.append(pending)
    return tokens


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
    tokens = query_tokens(query)
    if not tokens:
        return None
    qs = Person.objects.all()
    for token in tokens[:4]:
        qs = qs.filter(id__in=NameKey.objects.filter(key__in=token_keys(token)).values("person_id"))
    return qs


def token_similarity(typed: str, name: str) -> float:
    """How well one typed token matches one name token, from 0 to 1.

    Edit distance (with transpositions) decides: one slip in a short name, two in a long one.
    A typed prefix of three or more letters matches ("obrien" in "obriensmith"), and so do
    names that sound alike. Anything else only scores by Jaro-Winkler, discounted, so that
    a shared first few letters ("Testchild", "Testsibling") is not enough on its own.
    """
    if typed == name:
        return 1.0
    distance = jellyfish.damerau_levenshtein_distance(typed, name)
    if distance == 1:
        return 0.95
    if distance == 2 and min(len(typed), len(name)) >= 6:
        return 0.9
    if len(typed) >= 3 and name.startswith(typed):
        return 0.85
    if len(typed) >= 3 and jellyfish.metaphone(typed) == jellyfish.metaphone(name):
        return 0.85
    return 0.8 * jellyfish.jaro_winkler_similarity(typed, name)


def _token_score(query: list[str], name: list[str]) -> float:
    """Mean over typed tokens of their best match among the name's tokens (order-free, partial names)."""
    if not query or not name:
        return 0.0
    return sum(max(token_similarity(q, n) for n in name) for q in query) / len(query)


def similarity(query: str, person: Person) -> float:
    """Best score between the query and any of the person's names (current, previous, aliases),
    token by token and in any order, so that "smith zoe" and "obrien" both find "Zoë O'Brien-Smith"."""
    q_tokens = query_tokens(query)
    names = [(person.given_name, person.family_name)]
    names += [(n.given_name, n.family_name) for n in person.other_names.all()]
    best = 0.0
    for given, family in names:
        tokens = name_tokens(given, family) + [fold(family).replace(" ", "")]
        best = max(best, _token_score(q_tokens, tokens))
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
