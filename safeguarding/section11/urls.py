from django.urls import path

from . import views

app_name = "section11"
urlpatterns = [
    path("section-11/", views.home, name="home"),
    path("section-11/standards/", views.standards, name="standards"),
    path("section-11/standards/<uuid:standard>/", views.standard_edit, name="standard-edit"),
    path("section-11/cycles/new/", views.cycle_new, name="cycle-new"),
    path("section-11/cycles/<uuid:cycle>/", views.cycle, name="cycle"),
    path("section-11/assessments/<uuid:assessment>/", views.assessment, name="assessment"),
    path("section-11/assessments/<uuid:assessment>/actions/new/", views.action_new, name="action-new"),
    path("section-11/ratings/<uuid:rating>/moderate/", views.rating_moderate, name="rating-moderate"),
    path("section-11/ratings/<uuid:rating>/respond/", views.rating_respond, name="rating-respond"),
    path("section-11/actions/", views.actions, name="actions"),
    path("section-11/actions/<uuid:action>/", views.action_update, name="action"),
    path("section-11/compare/", views.compare, name="compare"),
]
