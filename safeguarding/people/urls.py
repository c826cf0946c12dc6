from django.urls import path

from .views import edit, merge, record, search

app_name = "people"
urlpatterns = [
    # views/search.py and views/record.py
    path("people/search", search.search, name="search"),
    path("people/<uuid:public_id>", record.person_detail, name="detail"),
    path("people/<uuid:public_id>/access-log", record.person_access_log, name="access-log"),
    path("people/<uuid:public_id>/genogram.svg", record.person_genogram_svg, name="genogram-svg"),
    # views/edit.py
    path("people/new", edit.person_create, name="create"),
    path("people/<uuid:public_id>/edit", edit.person_edit, name="edit"),
    path("people/<uuid:public_id>/addresses/new", edit.address_add, name="address-add"),
    path("people/<uuid:public_id>/names/new", edit.name_add, name="name-add"),
    path("people/<uuid:public_id>/relationships/new", edit.relationship_add, name="relationship-add"),
    # views/merge.py
    path("people/<uuid:public_id>/merge", merge.person_merge, name="merge"),
]
