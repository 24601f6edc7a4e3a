"""Every URL pattern of the project, walked as anonymous, a colleague, a supervisor
of another team, an instructor, a person in two roles (a colleague of the owner who
supervises another team), HR and an admin: no page or file leaks a person's data.

A new URL fails this test until it can be filled (``PARAM_FACTORIES``) and, if it
is meant to be public, until it is listed in ``PUBLIC``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from compliance.models import ExportJob
from courses.services import completion_record
from credentials.models import CalendarFeed
from credentials.services import credential_document_add
from portal.models import BulkJob, Invitation
from portal.roles import Role
from portal.services import invitation_create, invitation_token
from portal.tasks import record_heartbeat
from tests.courses.factories import make_course
from tests.credentials.factories import CredentialFactory, pdf_upload
from tests.factories import (
    StaffProfileFactory,
    TeamFactory,
    UserFactory,
    make_hr,
    make_supervisor,
)
from tests.skills.factories import (
    SkillChecklistFactory,
    SkillRequirementFactory,
    make_signoff,
)

pytestmark = pytest.mark.django_db

# Apps whose URLs this test walks; everything else is third-party.
PROJECT_APPS = ("portal", "courses", "credentials", "compliance", "classes", "skills")
# Third-party trees, proven separately or out of scope here.
SKIPPED_PREFIXES = (
    "cms/",
    "django-admin/",
    "accounts/",
    "learn/",
    "documents/",
    "static/",
    "media/",
    # The SCIM API answers a bearer token only, never a session: walked by
    # test_scim_answers_no_session_and_no_wrong_token below.
    "scim/",
)
# Pages anyone may open without logging in (by URL name).
PUBLIC = {
    "healthz",
    "cms_login",  # the login page for visitors, "not allowed" for the logged-in
    "invitation_accept",
    "courses:verify",  # confirms a certificate's learner, course and date only
    "courses:verify_form",  # a form to type a certificate's code
    "credential_calendar",  # a secret, resettable token stands in for the login
}
# Views that skip the login redirect but answer anyone without the right with
# 404 (a document link must not even reveal that a login would help).
ANONYMOUS_404 = {"credential_document"}
# Pages HR legitimately answers with 404 in this configuration.
HR_404_OK = {"sent_mail"}  # only in DEBUG with the file email backend


@dataclass
class World:
    owner: object  # StaffProfile in team A, whose data must not leak
    colleague: object  # staff in team A, not the owner
    supervisor_a: object
    supervisor_b: object
    hr: object
    admin: object
    signoff: object
    job: object
    invitation: Invitation
    course: object
    completion: object
    credential: object
    document: object
    feed: object
    extra: dict = field(default_factory=dict)


def _checkin_token(world) -> str:
    """One check-in link per world: the token is signed with the time, so two walks
    a second apart would otherwise meet two URLs (the leavers walk compares them)."""
    from classes.checkin import checkin_token

    if "checkin_token" not in world.extra:
        world.extra["checkin_token"] = checkin_token(
            session=world.extra["roster_session"]
        )
    return world.extra["checkin_token"]


def _owner_pk(world: World) -> dict:
    return {"pk": world.owner.pk}


# URL name -> function(world) -> kwargs. The lead adds the other apps' patterns.
PARAM_FACTORIES = {
    "staff_detail": _owner_pk,
    "staff_edit": _owner_pk,
    "staff_reinvite": _owner_pk,
    "staff_access": _owner_pk,
    "staff_sso_unlink": _owner_pk,
    "invitation_accept": lambda w: {"token": invitation_token(w.invitation)},
    "skills:signoff_create": _owner_pk,
    "compliance:training_file": _owner_pk,
    "compliance:transcript": _owner_pk,
    "compliance:transcript_pdf": _owner_pk,
    "remind": _owner_pk,
    "skills:signoff_detail": lambda w: {"pk": w.signoff.pk},
    "compliance:export_detail": lambda w: {"pk": w.job.pk},
    "bulk_job_detail": lambda w: {"pk": w.extra["bulk_job"].pk},
    "bulk_job_status": lambda w: {"pk": w.extra["bulk_job"].pk},
    "bulk_job_retry": lambda w: {"pk": w.extra["bulk_job"].pk},
    "compliance:export_status": lambda w: {"pk": w.job.pk},
    "compliance:export_download": lambda w: {"pk": w.job.pk},
    "courses:lesson_complete": lambda w: {"pk": w.course.lessons[0].pk},
    "courses:certificate": lambda w: {"pk": w.completion.pk},
    "courses:quiz_reset": _owner_pk,
    "courses:verify": lambda w: {"code": w.completion.certificate_code},
    "courses:retrain_older_versions": lambda w: {"pk": w.course.page.pk},
    "credential_resubmit": lambda w: {"pk": w.credential.pk},
    "credential_detail": lambda w: {"pk": w.credential.pk},
    "credential_renew": lambda w: {"pk": w.credential.pk},
    "credential_document_upload": lambda w: {"pk": w.credential.pk},
    "credential_document": lambda w: {"pk": w.document.pk},
    "credential_review": lambda w: {"pk": w.credential.pk},
    "credential_calendar": lambda w: {"token": w.feed.token},
    "classes:detail": lambda w: {"pk": w.extra["session"].pk},
    "classes:edit": lambda w: {"pk": w.extra["session"].pk},
    "classes:cancel": lambda w: {"pk": w.extra["session"].pk},
    "classes:book": lambda w: {"pk": w.extra["session"].pk},
    "classes:roster": lambda w: {"pk": w.extra["roster_session"].pk},
    "classes:sign_in_sheet": lambda w: {"pk": w.extra["roster_session"].pk},
    "classes:evaluation": lambda w: {"pk": w.extra["roster_session"].pk},
    "classes:evaluation_results": lambda w: {"pk": w.extra["roster_session"].pk},
    "classes:booking_cancel": lambda w: {"pk": w.extra["booking"].pk},
    "classes:checkin": lambda w: {"token": _checkin_token(w)},
    "classes:ce_person": _owner_pk,
    "classes:ce_review": lambda w: {"pk": w.extra["ce_activity"].pk},
    "classes:ce_certificate": lambda w: {"pk": w.extra["ce_activity"].pk},
}


def project_patterns(resolver=None, prefix="", namespace=""):
    """(route, name, callback) for every pattern, recursively."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from project_patterns(p, route, full_ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            yield route, name, p.callback


def walked_patterns():
    out = []
    for route, name, callback in project_patterns():
        clean = route.lstrip("^")
        if clean.startswith(SKIPPED_PREFIXES):
            continue
        module = getattr(callback, "__module__", "") or ""
        if module.split(".")[0] not in PROJECT_APPS:
            continue
        out.append((clean, name, callback))
    return out


def build_url(route: str, name: str | None, world: World) -> str:
    params = re.findall(r"<(?:\w+:)?(\w+)>", route)
    kwargs = {}
    if params:
        factory = PARAM_FACTORIES.get(name or "")
        if factory is None:
            pytest.fail(
                f"URL pattern {route!r} (name {name!r}) has parameters {params} and no "
                "entry in PARAM_FACTORIES of tests/compliance/test_url_walk.py: add "
                "one that fills them with an object belonging to the owner in team A."
            )
        kwargs = factory(world)
    url = "/" + route
    for key in params:
        url = re.sub(rf"<(?:\w+:)?{key}>", str(kwargs[key]), url)
    return url


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    record_heartbeat()  # a worker is running, so /healthz answers 200
    team_a, team_b = TeamFactory(), TeamFactory()
    owner = StaffProfileFactory(
        team=team_a,
        user=UserFactory(
            first_name="Ozymandias", last_name="Ownerly", email="owner-walk@example.org"
        ),
    )
    colleague = StaffProfileFactory(team=team_a)
    supervisor_a = make_supervisor(team_a)
    supervisor_b = make_supervisor(team_b)
    StaffProfileFactory(team=team_b, user=supervisor_b)
    hr = make_hr()
    admin = UserFactory(roles=[Role.ADMIN], is_superuser=True, is_staff=True)
    checklist = SkillChecklistFactory()
    SkillRequirementFactory(job_role=owner.job_role, checklist=checklist)
    signoff = make_signoff(staff=owner, checklist=checklist, signed_by=supervisor_a)
    name = storages["private"].save("exports/walk.zip", ContentFile(b"PK-owner"))
    job = ExportJob.objects.create(
        site=team_a.site,
        as_of="2026-03-03",
        requested_by=hr,
        status=ExportJob.Status.DONE,
        percent=100,
        file=name,
    )
    invitation = invitation_create(user=owner.user)
    course = make_course(title="Walk course")
    completion = completion_record(staff=owner, course=course.page, score=90)
    credential = CredentialFactory(staff=owner, verification_status="pending")
    document = credential_document_add(
        credential=credential, upload=pdf_upload(), by=owner.user
    )
    feed = CalendarFeed.objects.create(user=owner.user)
    extra = _classes_world(owner=owner, hr=hr)
    extra.update(_roster_world(owner=owner, hr=hr, team_a=team_a, team_b=team_b))
    # HR's import, with the owner among the rows it refused.
    extra["bulk_job"] = BulkJob.objects.create(
        kind="staff_import",
        title="Walk import",
        requested_by=hr,
        status=BulkJob.Status.DONE,
        total=1,
        done=1,
        problems=[{"row": 2, "name": "Ozymandias Ownerly", "error": "Unknown team."}],
    )
    return World(
        owner,
        colleague,
        supervisor_a,
        supervisor_b,
        hr,
        admin,
        signoff,
        job,
        invitation,
        course,
        completion,
        credential,
        document,
        feed,
        extra,
    )


def _classes_world(*, owner, hr) -> dict:
    """A class the owner is booked in and a CE activity the owner logged."""
    from classes.services import booking_create, ce_activity_create
    from tests.classes.factories import make_session

    session = make_session(by=hr)
    booking = booking_create(session=session, staff=owner, by=owner.user)
    activity = ce_activity_create(
        staff=owner,
        by=owner.user,
        provider="State board",
        title="Ethics workshop",
        completed_on=dt.date(2026, 3, 1),
        hours=3,
        certificate=pdf_upload("PK-owner-ce.pdf"),
    )
    return {"session": session, "booking": booking, "ce_activity": activity}


def _roster_world(*, owner, hr, team_a, team_b) -> dict:
    """A class that has started, taught by an instructor with no other role, with
    the owner (team A), a person of team B and the person in two roles booked. The
    person in two roles is the owner's colleague in team A and supervises team B."""
    from classes.models import Booking
    from tests.classes.factories import make_session

    person_b = StaffProfileFactory(team=team_b)
    instructor = StaffProfileFactory(team=TeamFactory()).user
    dual = make_supervisor(team_b)
    dual_staff = StaffProfileFactory(team=team_a, user=dual)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    session = make_session(
        by=hr,
        starts_at=now - dt.timedelta(hours=1),
        instructor=instructor,
        capacity=5,
        title="Walk crisis class",
    )
    for staff in (owner, person_b, dual_staff):
        Booking.objects.create(
            session=session, staff=staff, status=Booking.Status.BOOKED, booked_by=hr
        )
    return {
        "roster_session": session,
        "person_b": person_b,
        "instructor": instructor,
        "dual": dual,
        "dual_staff": dual_staff,
    }


# Pages where someone who is not HR may rightly see the owner: the instructor of
# record marks everyone booked in their class and prints its sign-in sheet.
MAY_SEE_OWNER = {
    ("instructor", "classes:roster"),
    ("instructor", "classes:sign_in_sheet"),
}


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def test_every_project_view_declares_who_may_see_it():
    for route, name, callback in walked_patterns():
        is_public = getattr(callback, "login_required", True) is False
        if is_public:
            assert name in PUBLIC | ANONYMOUS_404, (
                f"{route} ({name}) is public but not in PUBLIC"
            )
        else:
            assert getattr(callback, "milieu_rule", None), (
                f"{route} ({name}) has no permission decorator from portal.permissions"
            )


class LoggedInClient(Client):
    """A test client logged in once as ``user``; ``get`` logs in again only if a
    page signed it out, so every URL is still seen as that user."""

    def __init__(self, user, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.force_login(user)

    def get(self, *args, **kwargs):
        if self.session.get("_auth_user_id") != str(self.user.pk):
            self.force_login(self.user)
        return super().get(*args, **kwargs)


def logged_in_clients(*roles) -> list[tuple[str, Client]]:
    """(label, client) for each (label, user), each client logged in once."""
    return [(label, LoggedInClient(user)) for label, user in roles]


@pytest.mark.slow
def test_url_walk_per_role(world):
    patterns = walked_patterns()
    assert len(patterns) > 15
    leaks = []
    owner_marks = ("Ozymandias", "Ownerly", "owner-walk@example.org", "PK-owner")
    # One client per role, logged in once for the whole walk.
    anonymous = Client()
    outsiders = logged_in_clients(
        ("colleague", world.colleague.user),
        ("other supervisor", world.supervisor_b),
        ("instructor", world.extra["instructor"]),
        ("two roles", world.extra["dual"]),
    )
    insiders = logged_in_clients(("HR", world.hr), ("admin", world.admin))
    for route, name, _callback in patterns:
        url = build_url(route, name, world)
        # Anonymous: the login page or nothing.
        response = anonymous.get(url)
        if name not in PUBLIC:
            ok = response.status_code == 404 or (
                response.status_code == 302
                and response["Location"].startswith("/accounts/login/")
            )
            if not ok:
                leaks.append(f"anonymous {url} -> {response.status_code}")
        elif response.status_code >= 500:
            leaks.append(f"anonymous {url} -> {response.status_code}")
        # People who must not see the owner's data.
        for label, role_client in outsiders:
            response = role_client.get(url)
            if response.status_code >= 500:
                leaks.append(f"{label} {url} -> {response.status_code}")
            elif (label, name) in MAY_SEE_OWNER:
                body_of(response)
            elif response.status_code == 200 and name not in PUBLIC:
                content_type = response.get("Content-Type", "")
                text = body_of(response)
                if any(mark in text for mark in owner_marks):
                    leaks.append(f"{label} {url} shows the owner's data")
                elif "<" in route and not content_type.startswith(
                    ("text/html", "text/csv", "application/json")
                ):
                    # A file (PDF, ZIP) about the owner's object: names inside
                    # are compressed, so serving it at all is the leak.
                    leaks.append(f"{label} {url} serves a file ({content_type})")
        # HR and admins see everything.
        for label, role_client in insiders:
            response = role_client.get(url)
            allowed = {200, 302, 405} | ({404} if name in HR_404_OK else set())
            if name == "invitation_accept":
                allowed.add(410)
            if name == "classes:checkin":
                allowed.add(400)  # not booked in the class: told so
            if response.status_code not in allowed:
                leaks.append(f"{label} {url} -> {response.status_code}")
            body_of(response)
    assert not leaks, "\n".join(leaks)


def test_scim_answers_no_session_and_no_wrong_token(world):
    """Every /scim/v2/ pattern, anonymous, with a wrong token and as each role's
    session: 401 and nothing else, for every method."""
    routes = [r for r, _n, _c in project_patterns() if r.startswith("scim/")]
    assert len(routes) >= 5
    for token in ("", "Bearer scim_wrong", "Bearer wrong"):
        headers = {"HTTP_AUTHORIZATION": token} if token else {}
        clients = [("anonymous", Client(**headers))] + [
            (label, LoggedInClient(user, **headers))
            for label, user in (
                ("colleague", world.colleague.user),
                ("supervisor", world.supervisor_a),
                ("HR", world.hr),
                ("admin", world.admin),
            )
        ]
        for route in routes:
            url = "/" + re.sub(r"<(?:\w+:)?\w+>", str(world.owner.pk), route)
            for label, role_client in clients:
                for method in ("get", "post", "put", "patch", "delete"):
                    response = getattr(role_client, method)(url)
                    assert response.status_code == 401, (label, token, method, url)
                    assert response.content == b"", (label, method, url)


def test_hr_sees_the_owner_on_their_pages(client, world):
    client.force_login(world.hr)
    assert "Ownerly" in body_of(client.get(f"/staff/{world.owner.pk}/"))
    assert "Ownerly" in body_of(client.get("/matrix/export.csv"))
    client.force_login(world.supervisor_a)
    assert "Ownerly" in body_of(client.get("/matrix/"))


@pytest.mark.parametrize("path", ["/cms/", "/django-admin/"])
def test_admin_sites_refuse_staff_and_supervisors(client, world, path):
    for user in (world.colleague.user, world.supervisor_a, world.supervisor_b):
        client.force_login(user)
        response = client.get(path)
        assert response.status_code in (302, 403), (user, response.status_code)
        if response.status_code == 302:
            assert (
                not response["Location"].startswith(path)
                or "login" in (response["Location"])
            )
