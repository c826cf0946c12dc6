"""The include other apps put first on conference and plan pages: the child's own words, then the rest."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from safeguarding.voice import queries

pytestmark = pytest.mark.django_db


def test_it_shows_the_childs_words_and_links_to_all_of_them(world, say):
    say(worries="Shouting at night", want_to_happen="Stay with Nan")
    html = render_to_string(
        "voice/_voice_first.html", {"voice_entries": queries.voice_for_person(world.child), "person": world.child}
    )
    assert "In the child&#x27;s words" in html or "In the child's words" in html
    assert "Shouting at night" in html and "Stay with Nan" in html and "What I want to happen" in html
    assert f"/people/{world.child.public_id}/voice" in html


def test_with_no_words_it_says_so_and_prompts_the_worker(world):
    html = render_to_string("voice/_voice_first.html", {"voice_entries": [], "person": world.child})
    assert "No words from the child are recorded" in html and "Ask what they think" in html


def test_the_heading_can_be_changed_for_a_linked_view(world, say):
    entry = say(words="I like my school")
    html = render_to_string(
        "voice/_voice_first.html", {"voice_entries": [entry], "voice_heading": "The child's words that informed this"}
    )
    assert "informed this" in html and "I like my school" in html and "/voice" not in html


def test_a_decision_form_can_ask_which_words_informed_it(world, say):
    from django import forms

    from safeguarding.voice.forms import informed_by_field

    mine = say(worries="I am scared of the dark and of " + "x" * 100)
    theirs = say(world.sibling, words="Not this child")
    field = informed_by_field(queries.voice_for_person(world.child))
    assert field.label == "Which of the child's words informed this?"
    assert [value for value, _ in field.choices] == [str(mine.public_id)]
    assert "I am scared of the dark" in field.choices[0][1] and field.choices[0][1].endswith("\u201d")
    form = type("DecisionForm", (forms.Form,), {"informed_by": field})({"informed_by": [str(mine.public_id)]})
    assert form.is_valid()
    chosen = queries.chosen_entries(world.child, [*form.cleaned_data["informed_by"], str(theirs.public_id), "junk"])
    assert chosen == [mine]
