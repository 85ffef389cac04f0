"""Search finds a student however their name is typed, on SQLite and on PostgreSQL."""

import pytest
from django.db import connection
from django.test import Client

from samepage import factories as f
from samepage.home.selectors import student_list
from samepage.schools import actions
from samepage.schools.search import search_key, student_search_name

pytestmark = pytest.mark.django_db


@pytest.fixture
def sofia(world):
    return f.make_student(
        world.school,
        legal_first_name="Sofía",
        legal_last_name="Hernández-López",
        district_student_id="004417",
    )


def _names(user, search):
    return {s.legal_first_name for s in student_list(user, search)}


def test_search_key_drops_accents_and_case():
    assert search_key("SOFÍA") == "sofia"
    assert search_key("  Hernández-López ") == "hernandez lopez"
    assert search_key("Ñuñez O'Brien") == "nunez obrien"
    assert search_key("Straße") == "strasse"


@pytest.mark.parametrize(
    "typed",
    ["Sofia", "sofia", "SOFÍA", "sofí", "hernandez", "Hernández", "LOPEZ", "sof hern", "0044"],
)
def test_search_matches_without_accents_or_case(world, sofia, typed):
    assert _names(world.district_admin, typed) == {"Sofía"}


@pytest.mark.parametrize("typed", ["ofia", "sofia moss", "4417", "zzz"])
def test_search_matches_the_start_of_words_only(world, sofia, typed):
    # Every typed word must begin a word of the name or ID; middles do not match.
    assert _names(world.district_admin, typed) == set()


@pytest.mark.parametrize("typed", ["sofia\x00", "\x00sofia", "sof\x00hern", "sofia\x1b\x7f"])
def test_control_characters_in_search_part_words_and_never_reach_the_database(world, sofia, typed):
    # PostgreSQL refuses U+0000 in a LIKE (a DataError, a 500): the pages and the API
    # search through this one function.
    assert _names(world.district_admin, typed) == {"Sofía"}


def test_search_stays_within_what_the_user_may_see(world, sofia):
    assert _names(world.district_admin, "sofia") == {"Sofía"}
    assert _names(world.other_parent, "sofia") == set()


def test_renaming_a_student_updates_what_search_finds(world, sofia):
    actions.do_rename_student(
        actor=world.district_admin, student=sofia, preferred_name="Chío", legal_last_name="Ruiz"
    )
    sofia.refresh_from_db()
    assert sofia.search_name == " sofia chio ruiz 004417"
    assert _names(world.district_admin, "chio") == {"Sofía"}
    assert _names(world.district_admin, "hernandez") == set()


def test_search_name_is_stored_by_the_create_action(world, sofia):
    assert sofia.search_name == student_search_name(
        legal_first_name="Sofía",
        legal_last_name="Hernández-López",
        preferred_name="",
        district_student_id="004417",
    )


def test_empty_result_says_no_student_matched(world, sofia):
    client = Client()
    client.force_login(world.district_admin)
    body = client.get("/students/", {"q": "Zacarías"}).content.decode()
    assert "No student matched “Zacarías”." in body
    type(world.district_admin).objects.filter(pk=world.district_admin.pk).update(language="es")
    spanish = client.get("/students/", {"q": "Zacarías"}).content.decode()
    assert "Ningún estudiante coincide con “Zacarías”." in spanish


def test_search_page_finds_accented_name(world, sofia):
    client = Client()
    client.force_login(world.district_admin)
    body = client.get("/students/", {"q": "SOFIA hernandez"}).content.decode()
    assert "Sofía Hernández-López" in body


def test_long_list_is_paginated(world):
    for _ in range(55):
        f.make_student(world.school, legal_last_name="Paged")
    client = Client()
    client.force_login(world.district_admin)
    first = client.get("/students/", {"q": "paged"}).content.decode()
    assert first.count("<tr>") == 51  # header row + 50
    assert "page=2" in first
    second = client.get("/students/", {"q": "paged", "page": "2"}).content.decode()
    assert second.count("<tr>") == 6
    assert "55 students." in second  # the last page knows the total without a count
    # Not a page number: a 400 that says so (core.bounds.page_of), never a 500.
    assert client.get("/students/", {"page": "not-a-number"}).status_code == 400


def test_the_search_column_is_indexed_as_its_database_allows(db):
    # PostgreSQL gets a trigram index (a "contains" search can use it); SQLite has no such
    # index kind, so the migration adds none there. Runs on both: CI runs the suite on each.
    indexes = connection.introspection.get_constraints(connection.cursor(), "schools_student")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes"
                " WHERE indexname = 'schools_student_search_name_trgm'"
            )
            row = cursor.fetchone()
        assert row is not None
        assert "gin_trgm_ops" in row[0]
    else:
        assert "schools_student_search_name_trgm" not in indexes
