"""export_cin_census: choosing the authority, writing the file, its summary and its exit status."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from safeguarding.audit.models import AuditEvent
from safeguarding.organisations.models import Organisation

from . import factories as cf

D = dt.date


def _run(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("export_cin_census", *args, stdout=out, stderr=err)
    assert "child/s" not in err.getvalue()  # no progress bar when stderr is not a terminal
    return out.getvalue()


def test_la_is_required_when_the_database_holds_several_authorities(world, tmp_path):
    out = tmp_path / "cin.xml"
    with pytest.raises(CommandError, match=r"holds 2 local authorities \(991 Northbridge Council, 992 Southmere"):
        _run("--year", "2025-26", "--out", str(out))
    assert not out.exists()


def test_an_unknown_la_code_or_year_is_refused_with_what_there_is(world, tmp_path):
    out = str(tmp_path / "cin.xml")
    with pytest.raises(CommandError, match="No local authority with DfE code '123'. This database holds: 991"):
        _run("--year", "2025-26", "--out", out, "--la", "123")
    with pytest.raises(CommandError, match="supported years are"):
        _run("--year", "2019-20", "--out", out, "--la", "991")


def test_one_authority_needs_no_la_and_must_have_a_code(db, tmp_path):
    cf.child(cf_la := Organisation.objects.create(name="Solo Council", type="LOCAL_AUTHORITY"))
    with pytest.raises(CommandError, match="Solo Council has no DfE LA code"):
        _run("--year", "2025-26", "--out", str(tmp_path / "cin.xml"))
    cf_la.dfe_la_code = "993"
    cf_la.save()
    person = cf.child(cf_la, la_person_id="SOLO1")
    cf.episode(person, D(2025, 6, 1), nfa=True, closed=D(2025, 6, 1), need="")
    summary = _run("--year", "2025-26", "--out", str(tmp_path / "cin.xml"), "--skip-rules")
    assert "1 children, 1 episodes (CIN census 2025-26, LA 993 Solo Council)" in summary
    assert "XSD (CIN_schema_2025-26.xsd): valid" in summary


@pytest.mark.usefixtures("needs_validator")
def test_a_good_return_is_written_checked_summarised_and_audited(world, golden, tmp_path):
    out, report = tmp_path / "cin.xml", tmp_path / "report.json"
    summary = _run("--year", "2025-26", "--out", str(out), "--la", "991", "--report", str(report))
    assert out.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<Message>')
    assert "Wrote" in summary and "6 children, 6 episodes" in summary
    assert "XSD (CIN_schema_2025-26.xsd): valid" in summary
    assert "DfE rules (cin2025_26, 109 rules): 0 child-level errors" in summary
    assert "LA-level QUERY 2887Q" in summary  # fires on any small file (statutory.md §0.3)
    assert json.loads(report.read_text())["child_issues"]  # the queries are in the report
    event = AuditEvent.objects.get(action="census.exported")
    assert event.details["children"] == 6 and event.object_id == "991/2025-26"


@pytest.mark.usefixtures("needs_validator")
def test_a_child_level_error_fails_the_command(world, golden, tmp_path):
    ep = cf.episode(cf.child(world.la, la_person_id="BAD1"), D(2025, 6, 2), nfa=True, need="")
    cf.assessment(ep, D(2025, 6, 3))  # activity on a referral with no further action: rule 8831
    with pytest.raises(CommandError, match="not ready: 0 XSD errors, 1 child-level errors"):
        _run("--year", "2025-26", "--out", str(tmp_path / "cin.xml"), "--la", "991")


def test_an_xsd_error_fails_the_command(world, tmp_path):
    cf.episode(cf.child(world.la, la_person_id="BAD2", ethnicity="ZZZZ"), D(2025, 6, 2))
    out = io.StringIO()
    with pytest.raises(CommandError, match="not ready: 1 XSD errors"):
        call_command(
            "export_cin_census",
            "--year",
            "2025-26",
            "--out",
            str(tmp_path / "c.xml"),
            "--la",
            "991",
            "--skip-rules",
            stdout=out,
        )
    assert "Ethnicity" in out.getvalue()
