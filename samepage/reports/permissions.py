"""Who may read, write, issue and answer a child's progress reports, and generate a
school's.

Built on ``access_student``: whoever may not see the student answers 404; a report of
another student answers 404 like a missing one. Reports are the "progress" part of the
record, so, from the one permission layer (teams/permissions.py):

- read issued reports: anyone whose access has ``Part.PROGRESS`` (staff who may view the
  record, the family, the student, an advocate whose consent covers progress);
- read drafts: staff with the progress part (a draft is not the family's to see: it
  answers 404 to them, as if it did not exist yet);
- write a draft's entries, draft a report, start a correction: staff with the progress
  part and ``Capability.ENTER_PROGRESS`` (who enter the data rate it);
- issue to the family: staff with the progress part who may edit the plan
  (``Capability.EDIT_PLAN``, as plans decide: the case manager), since the report is
  the plan's promised account to the family;
- acknowledge and comment: the family (a guardian; the student once the rights are
  theirs), on an issued report;
- generate a school's reports: its leader or a case manager working there, and the
  district administrator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samepage.reports.models import (
    GoalReportEntry,
    ProgressReport,
    ReportGenerationJob,
    ReportingPeriod,
)
from samepage.schools.models import District, School, StaffProfile, Student
from samepage.schools.permissions import access_district_settings
from samepage.schools.roles import roles_for
from samepage.teams.models import Capability
from samepage.teams.permissions import Part, StudentAccess, access_student, student_access

NOT_SHARED = gettext_lazy("This part of the record is not shared with you.")
WRITERS_ONLY = gettext_lazy("Only staff on the team who may enter progress data can do this.")
ISSUERS_ONLY = gettext_lazy(
    "Only staff on the team who may edit the plan can issue a report to the family."
)
FAMILY_ONLY = gettext_lazy("Only the child's family can do this.")
ISSUED = gettext_lazy(
    "This report was issued to the family and cannot be changed. Start a correction instead."
)
NOT_ISSUED = gettext_lazy("This report has not been issued yet.")


@dataclass
class ReportsAccess:
    """What one person may do with one student's progress reports (templates ask these)."""

    record: StudentAccess

    @property
    def student(self) -> Student:
        return self.record.student

    @property
    def can_view(self) -> bool:
        return Part.PROGRESS in self.record.parts

    @property
    def can_see_drafts(self) -> bool:
        return self.record.is_staff and self.can_view

    @property
    def can_write(self) -> bool:
        return self.can_see_drafts and Capability.ENTER_PROGRESS in self.record.capabilities

    @property
    def can_issue(self) -> bool:
        return self.can_see_drafts and Capability.EDIT_PLAN in self.record.capabilities

    @property
    def can_answer(self) -> bool:
        """Acknowledge and comment: the family, not a student whose parents hold the
        rights (their parents answer for them)."""
        record = self.record
        if not (record.is_family and self.can_view):
            return False
        return record.role != "student" or record.can_consent

    def may_edit(self, report: ProgressReport) -> bool:
        return self.can_write and report.is_draft

    def may_issue(self, report: ProgressReport) -> bool:
        return self.can_issue and report.is_draft

    def may_answer(self, report: ProgressReport) -> bool:
        return self.can_answer and report.is_issued

    def may_correct(self, report: ProgressReport) -> bool:
        return self.can_write and report.is_issued


def _require(allowed: bool, message: Any) -> None:
    if not allowed:
        raise PermissionDenied(str(message))


def check_reports_action(access: ReportsAccess, action: str) -> None:
    """Refuse (403) unless ``access`` allows ``action``: "view", "write", "issue",
    "answer"."""
    _require(access.can_view, NOT_SHARED)
    if action == "view":
        return
    if action == "write":
        _require(access.can_write, WRITERS_ONLY)
    elif action == "issue":
        _require(access.can_issue, ISSUERS_ONLY)
    elif action == "answer":
        _require(access.can_answer, FAMILY_ONLY)
    else:
        raise PermissionDenied


def reports_access_for(user: Any, student: Student) -> ReportsAccess | None:
    """What ``user`` may do with ``student``'s reports (None: cannot see the student)."""
    record = student_access(user, student)
    return ReportsAccess(record) if record is not None else None


def access_reports(user: Any, student_id: Any, *, action: str = "view") -> ReportsAccess:
    """A student's reports if ``user`` may do ``action``: 404 when the student is not
    visible, else 403."""
    student = access_student(user, student_id)
    access = ReportsAccess(student.access)  # type: ignore[attr-defined]
    check_reports_action(access, action)
    return access


def _pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def visible_reports(access: ReportsAccess) -> Any:
    """The reports of ``access.student`` this reader may see (drafts to staff only)."""
    reports = ProgressReport.objects.filter(student=access.student)
    if not access.can_see_drafts:
        reports = reports.filter(status=ProgressReport.Status.ISSUED)
    return reports


def access_report(
    user: Any, student_id: Any, report_id: Any, *, action: str = "view"
) -> tuple[ReportsAccess, ProgressReport]:
    """One report of this student; another student's, or a draft the reader may not
    see, answers 404. ``action``: "view", "edit" (a draft's entries), "issue", "answer"
    (acknowledge, comment), "correct" (start a new revision of an issued report)."""
    access = access_reports(user, student_id)
    report = (
        visible_reports(access)
        .select_related("period", "issued_by", "replaces")
        .filter(pk=_pk(report_id))
        .first()
    )
    if report is None:
        raise Http404
    if action == "edit":
        check_reports_action(access, "write")
        _require(report.is_draft, ISSUED)
    elif action == "issue":
        check_reports_action(access, "issue")
        _require(report.is_draft, ISSUED)
    elif action == "answer":
        check_reports_action(access, "answer")
        _require(report.is_issued, NOT_ISSUED)
    elif action == "correct":
        check_reports_action(access, "write")
        _require(report.is_issued, _("Only an issued report can be corrected."))
    elif action != "view":
        raise PermissionDenied
    report.student = access.student
    return access, report


def access_entry(
    user: Any, student_id: Any, report_id: Any, entry_id: Any, *, action: str = "edit"
) -> tuple[ReportsAccess, ProgressReport, GoalReportEntry]:
    """One goal's entry of a report the reader may ``action`` (another report's: 404)."""
    access, report = access_report(user, student_id, report_id, action=action)
    entry = GoalReportEntry.objects.filter(pk=_pk(entry_id), report=report).first()
    if entry is None:
        raise Http404
    entry.report = report
    return access, report, entry


# --- a school's reports ------------------------------------------------------------


@dataclass
class SchoolReportsAccess:
    """Who may generate one school's reports (the staff profile it was worked out for)."""

    school: School
    user_id: int


def _generators(profile: StaffProfile | None, school: School) -> str:
    """ "yes", "no" (sees the school, may not generate: 403) or "hidden" (404)."""
    if profile is None or profile.district_id != school.district_id:
        return "hidden"
    role = StaffProfile.Role
    if profile.role == role.DISTRICT_ADMIN:
        return "yes"
    works_there = profile.schools.filter(pk=school.pk).exists()
    if not works_there:
        return "hidden"
    return "yes" if profile.role in (role.SCHOOL_LEADER, role.CASE_MANAGER) else "no"


def access_school_reports(user: Any, school_id: Any) -> SchoolReportsAccess:
    """A school whose reports ``user`` may generate: 404 unless they are the district's
    staff who work there (or its administrator), 403 for staff there who may not."""
    school = School.objects.select_related("district").filter(pk=_pk(school_id)).first()
    if school is None or not getattr(user, "is_authenticated", False):
        raise Http404
    answer = _generators(roles_for(user).staff, school)
    if answer == "hidden":
        raise Http404
    _require(answer == "yes", _("Only the school's leader or a case manager can do this."))
    return SchoolReportsAccess(school=school, user_id=user.pk)


def access_job(user: Any, school_id: Any, job_id: Any) -> tuple[SchoolReportsAccess, Any]:
    access = access_school_reports(user, school_id)
    job = (
        ReportGenerationJob.objects.select_related("period")
        .filter(pk=_pk(job_id), school=access.school)
        .first()
    )
    if job is None:
        raise Http404
    return access, job


def schools_to_report(user: Any) -> list[School]:
    """The schools whose reports ``user`` may generate (their home links to each)."""
    profile = roles_for(user).staff
    if profile is None:
        return []
    role = StaffProfile.Role
    if profile.role == role.DISTRICT_ADMIN:
        return list(School.objects.filter(district_id=profile.district_id).order_by("name")[:50])
    if profile.role in (role.SCHOOL_LEADER, role.CASE_MANAGER):
        return list(profile.schools.order_by("name"))
    return []


# --- the district's reporting calendar and words ----------------------------------


PERIODS_ONLY = gettext_lazy(
    "Only the district's special education administrator sets the reporting periods."
)
LABELS_ONLY = gettext_lazy(
    "Only the district's special education administrator sets the words for the ratings."
)


def access_report_settings(user: Any, *, refusal: Any = PERIODS_ONLY) -> District:
    """The district whose reporting periods and rating words ``user`` sets: its
    administrator only (403 for anyone else, as the progress rules)."""
    return access_district_settings(user, refusal=refusal)


def access_period(user: Any, period_id: Any) -> ReportingPeriod:
    """One reporting period of the administrator's own district; another district's
    answers 404 like a missing one."""
    district = access_report_settings(user)
    period = (
        ReportingPeriod.objects.select_related("district")
        .filter(pk=_pk(period_id), district=district)
        .first()
    )
    if period is None:
        raise Http404
    return period
