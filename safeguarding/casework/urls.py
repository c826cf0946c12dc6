from django.urls import path

from . import views

app_name = "casework"

EPISODE = "people/<uuid:public_id>/episodes/<uuid:episode>"
STEP_PATHS = {
    "primary-need": "primary-need",
    "assessment-start": "assessment/start",
    "assessment-complete": "assessment/complete",
    "assessment-authorise": "assessment/authorise",
    "cin-plan-new": "cin-plan/new",
    "cin-review-new": "cin-plan/review",
    "cin-plan-end": "cin-plan/end",
    "strategy-new": "strategy-discussions/new",
    "s47-start": "section-47/start",
    "s47-outcome": "section-47/outcome",
    "conference-initial": "conferences/initial",
    "conference-review": "conferences/review",
    "core-group-new": "core-groups/new",
    "category-change": "category/change",
    "cp-plan-end": "cp-plan/end",
    "close": "close",
}

urlpatterns = [
    path("people/<uuid:public_id>/referrals/new", views.referral_new, name="referral-new"),
    path(EPISODE, views.episode_detail, name="episode"),
    path(f"{EPISODE}/conferences/<uuid:conference>", views.conference_detail, name="conference"),
    path(f"{EPISODE}/cp-plans/<uuid:plan>", views.cp_plan_detail, name="cp-plan"),
    path(f"{EPISODE}/cin-plans/<uuid:plan>", views.cin_plan_detail, name="cin-plan"),
    *[path(f"{EPISODE}/{tail}", views.STEP_VIEWS[name], name=name) for name, tail in STEP_PATHS.items()],
]
