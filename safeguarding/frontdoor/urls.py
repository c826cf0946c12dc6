from django.urls import path

from . import referral_views, views

app_name = "frontdoor"
contact = "people/<uuid:public_id>/contacts/<uuid:contact>"
incoming = "front-door/referrals/<uuid:referral>"
urlpatterns = [
    path("front-door", views.front_door, name="list"),
    path("front-door/contacts/new", views.contact_new, name="contact-new"),
    path(contact, views.contact_detail, name="contact"),
    path(f"{contact}/screen", views.contact_screen, name="contact-screen"),
    path(f"{contact}/information/new", views.contact_request, name="information-new"),
    path(f"{contact}/information/<uuid:request_id>/answer", views.contact_answer, name="information-answer"),
    path(f"{contact}/decide", views.contact_decide, name="contact-decide"),
    path(f"{contact}/feedback", views.contact_feedback, name="contact-feedback"),
    # Partner referrals (ADR 0025): the partner's pages, then the front door's
    path("referrals", referral_views.my_referrals, name="referrals"),
    path("referrals/new", referral_views.referral_new, name="referral-new"),
    path("referrals/<uuid:referral>", referral_views.my_referral, name="referral"),
    path(incoming, referral_views.referral_review, name="referral-review"),
    path(f"{incoming}/match/<uuid:public_id>", referral_views.referral_match, name="referral-match"),
    path(f"{incoming}/new-person", referral_views.referral_new_person, name="referral-new-person"),
]
