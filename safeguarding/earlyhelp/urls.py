from django.urls import path

from . import views

app_name = "earlyhelp"
_EP = "people/<uuid:public_id>/early-help/<uuid:episode>"
urlpatterns = [
    path("early-help/", views.early_help_list, name="list"),
    path("early-help/pick-up/<uuid:episode>", views.pick_up, name="pick-up"),
    path("early-help/step-down/<uuid:casework_episode>", views.step_down, name="step-down"),
    path("people/<uuid:public_id>/early-help/offer", views.offer, name="offer"),
    path(_EP, views.episode_detail, name="episode"),
    path(f"{_EP}/consent", views.consent, name="consent"),
    path(f"{_EP}/assessment/start", views.assessment_start, name="assessment-start"),
    path(f"{_EP}/assessment/complete", views.assessment_complete, name="assessment-complete"),
    path(f"{_EP}/lead-professional", views.lead, name="lead"),
    path(f"{_EP}/team/new", views.member_add, name="member-add"),
    path(f"{_EP}/team/<uuid:member>/left", views.member_left, name="member-left"),
    path(f"{_EP}/plan/start", views.plan_start, name="plan-start"),
    path(f"{_EP}/plan/outcomes/new", views.outcome_add, name="outcome-add"),
    path(f"{_EP}/reviews/new", views.review, name="review"),
    path(f"{_EP}/step-up", views.step_up, name="step-up"),
    path(f"{_EP}/close", views.close, name="close"),
]
