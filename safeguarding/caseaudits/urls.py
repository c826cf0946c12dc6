from django.urls import path

from . import views

app_name = "caseaudits"

A = "case-audits/<uuid:audit_id>"
C = f"{A}/cases/<uuid:case_id>"

urlpatterns = [
    path("case-audits/", views.home, name="home"),
    path("case-audits/new", views.audit_new, name="audit-new"),
    path("case-audits/tools", views.tool_list, name="tools"),
    path("case-audits/tools/scales/new", views.scale_new, name="scale-new"),
    path("case-audits/tools/<uuid:tool_id>", views.tool_detail, name="tool"),
    path("case-audits/tools/<uuid:tool_id>/copy", views.tool_copy, name="tool-copy"),
    path("case-audits/tools/<uuid:tool_id>/questions/new", views.question_new, name="question-new"),
    path(A, views.audit_detail, name="audit"),
    path(f"{A}/sample", views.audit_sample, name="audit-sample"),
    path(f"{A}/close", views.audit_close, name="audit-close"),
    path(f"{A}/themes", views.theme_list, name="themes"),
    path(f"{A}/themes/new", views.theme_new, name="theme-new"),
    path(f"{A}/themes/<uuid:theme_id>/findings", views.theme_group, name="theme-group"),
    path(f"{A}/themes/<uuid:theme_id>/actions/new", views.action_new, name="action-new"),
    path(f"{A}/actions/<uuid:action_id>", views.action_update, name="action"),
    path(C, views.case_detail, name="case"),
    path(f"{C}/exclude", views.case_exclude, name="case-exclude"),
    path(f"{C}/assign", views.case_assign, name="case-assign"),
    path(f"{C}/assignments/<uuid:assignment_id>/withdraw", views.case_withdraw, name="case-withdraw"),
    path(f"{C}/grade", views.case_grade, name="grade"),
    path(f"{C}/findings/new", views.finding_new, name="finding-new"),
    path(f"{C}/moderate/<int:number>", views.case_moderate, name="moderate"),
]
