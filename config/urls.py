from django.urls import include, path

from .api import api

urlpatterns = [
    path("", include("config.fhir_urls")),
    path("", include("safeguarding.core.urls")),
    path("", include("safeguarding.accounts.urls")),
    path("", include("safeguarding.work.urls")),
    path("", include("safeguarding.people.urls")),
    path("", include("safeguarding.access.urls")),
    path("", include("safeguarding.audit.urls")),
    path("", include("safeguarding.organisations.urls")),
    path("", include("safeguarding.casework.urls")),
    path("", include("safeguarding.casework.urls_oversight")),
    path("", include("safeguarding.frontdoor.urls")),
    path("", include("safeguarding.earlyhelp.urls")),
    path("", include("safeguarding.voice.urls")),
    path("", include("safeguarding.chronology.urls")),
    path("", include("safeguarding.census.urls")),
    path("", include("safeguarding.care.urls")),
    path("", include("safeguarding.flags.urls")),
    path("", include("safeguarding.partnership.urls")),
    path("", include("safeguarding.sharing.urls")),
    path("", include("safeguarding.dataquality.urls")),
    path("", include("safeguarding.national.urls")),
    path("", include("safeguarding.learning.urls")),
    path("", include("safeguarding.section11.urls")),
    path("", include("safeguarding.caseaudits.urls")),
    path("api/v1/", api.urls),
]

handler403 = "safeguarding.core.views.forbidden"
handler404 = "safeguarding.core.views.not_found"
handler500 = "safeguarding.core.views.server_error"
