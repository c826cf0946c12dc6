from django.urls import path

from . import views

app_name = "frontdoor"
contact = "people/<uuid:public_id>/contacts/<uuid:contact>"
urlpatterns = [
    path("front-door", views.front_door, name="list"),
    path("front-door/contacts/new", views.contact_new, name="contact-new"),
    path(contact, views.contact_detail, name="contact"),
    path(f"{contact}/screen", views.contact_screen, name="contact-screen"),
    path(f"{contact}/information/new", views.contact_request, name="information-new"),
    path(f"{contact}/information/<uuid:request_id>/answer", views.contact_answer, name="information-answer"),
    path(f"{contact}/decide", views.contact_decide, name="contact-decide"),
    path(f"{contact}/feedback", views.contact_feedback, name="contact-feedback"),
]
