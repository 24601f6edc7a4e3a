"""Writes for accounts and the organization; one function per use case."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from .dates import agency_today
from .models import (
    AccessChange,
    Heartbeat,
    Invitation,
    JobRole,
    StaffProfile,
    Team,
    User,
)
from .queue import enqueue
from .roles import Role
from .signals import (
    staff_job_role_assigned,
    user_access_ended,
    user_access_restored,
)
from .validators import has_control_characters

logger = logging.getLogger(__name__)

_INVITE_SALT = "milieu.invitation"

# Permissions each role's group holds (app_label.codename); Admin gets them all.
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.STAFF: [],
    Role.SUPERVISOR: [],
    Role.AUTHOR: [
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ],
    Role.HR: [
        "wagtailadmin.access_admin",
        "portal.add_site",
        "portal.change_site",
        "portal.view_site",
        "portal.add_program",
        "portal.change_program",
        "portal.view_program",
        "portal.add_team",
        "portal.change_team",
        "portal.view_team",
        "portal.add_jobrole",
        "portal.change_jobrole",
        "portal.view_jobrole",
        "portal.add_staffprofile",
        "portal.change_staffprofile",
        "portal.view_staffprofile",
        "portal.change_agency",
        "portal.view_agency",
    ],
}


def roles_ensure(*, extra: dict[Role, list[str]] | None = None) -> None:
    """Create the role groups and grant their permissions (safe to run again)."""
    wanted = {role: list(perms) for role, perms in ROLE_PERMISSIONS.items()}
    for role, more in (extra or {}).items():
        wanted.setdefault(role, []).extend(more)
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        if role == Role.ADMIN:
            group.permissions.set(Permission.objects.all())
            continue
        perms = []
        for dotted in wanted.get(role, []):
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:
                perms.append(perm)
        group.permissions.add(*perms)
        _collection_permissions_ensure(group=group, perms=perms)


# Wagtail checks image and document permissions per collection, not per model.
_COLLECTION_APPS = ("wagtailimages", "wagtaildocs")


def _collection_permissions_ensure(*, group: Group, perms: list[Permission]) -> None:
    """Grant the group's image and document permissions on the root collection
    (and so every collection under it)."""
    from wagtail.models import Collection, GroupCollectionPermission

    root = Collection.get_first_root_node()
    if root is None:
        return
    for perm in perms:
        if perm.content_type.app_label in _COLLECTION_APPS:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root, permission=perm
            )


def user_set_roles(*, user: User, roles: set[Role]) -> None:
    """Put ``user`` in exactly the groups of ``roles``."""
    user.groups.set(Group.objects.filter(name__in=[r.value for r in roles]))
    if hasattr(user, "_milieu_roles"):
        del user._milieu_roles


@transaction.atomic
def staff_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    employee_id: str,
    job_role: JobRole,
    team: Team | None,
    hire_date: dt.date,
    roles: set[Role] | None = None,
    created_by: User | None = None,
    invite: bool = True,
) -> StaffProfile:
    """Hire a person: a user without a password, their profile, and an invitation."""
    email = email.strip().lower()
    problems = {
        name: "Remove the line break or other invisible character."
        for name, value in (
            ("email", email),
            ("first_name", first_name),
            ("last_name", last_name),
            ("employee_id", employee_id),
        )
        if has_control_characters(value)
    }
    if problems:
        raise ValidationError(problems)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "Someone already has this email address."})
    if StaffProfile.objects.filter(employee_id=employee_id).exists():
        raise ValidationError({"employee_id": "This Employee ID is already in use."})
    user = User.objects.create_user(
        email=email, password=None, first_name=first_name, last_name=last_name
    )
    user_set_roles(user=user, roles=roles or {Role.STAFF})
    staff = StaffProfile(
        user=user,
        employee_id=employee_id,
        job_role=job_role,
        team=team,
        hire_date=hire_date,
    )
    staff.full_clean()
    staff.save()
    staff_job_role_assigned.send(
        sender=StaffProfile, staff=staff, previous_job_role=None
    )
    if invite:
        invitation_create(user=user, created_by=created_by)
    return staff


@transaction.atomic
def staff_update(
    *, staff: StaffProfile, by: User | None = None, **fields
) -> StaffProfile:
    """Change a profile; a new job role or team assigns its requirements, and a
    termination date that has come ends the person's access (``staff_terminate``)."""
    previous_role = staff.job_role
    previous_team_id = staff.team_id
    for name, value in fields.items():
        setattr(staff, name, value)
    staff.full_clean()
    staff.save()
    # A new team may mean a new program or site, and so new requirements.
    if staff.job_role_id != previous_role.pk or staff.team_id != previous_team_id:
        staff_job_role_assigned.send(
            sender=StaffProfile, staff=staff, previous_job_role=previous_role
        )
    if staff.termination_date and staff.is_terminated_on(agency_today()):
        staff = staff_terminate(staff=staff, on=staff.termination_date, by=by)
    return staff


def _end_sessions(*, user: User, keep: str | None = None) -> int:
    """Delete every stored session of ``user`` but ``keep`` (a session key);
    returns how many ended."""
    from django.contrib.sessions.models import Session

    ended = 0
    sessions = Session.objects.filter(expire_date__gt=timezone.now())
    if keep:
        sessions = sessions.exclude(session_key=keep)
    for session in sessions.iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def _access_end(*, user: User, by: User | None, action: str, reason: str) -> None:
    """Close the account: no login, no session, no invitation link, no feed."""
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    _end_sessions(user=user)
    Invitation.objects.filter(
        user=user, accepted_at__isnull=True, expires_at__gt=timezone.now()
    ).update(expires_at=timezone.now())
    user_access_ended.send(sender=User, user=user)
    AccessChange.objects.create(user=user, action=action, reason=reason, by=by)


@transaction.atomic
def staff_terminate(
    *, staff: StaffProfile, on: dt.date, by: User | None = None, reason: str = ""
) -> StaffProfile:
    """Record a termination on ``on``; from that day (agency time) the account is
    closed, the person supervises no team and nothing reminds them or about them.

    A date still to come is kept and applied by ``staff_terminations_apply``.
    Their records (training, credentials, sign-offs) are kept as they are.
    Safe to run again.
    """
    staff = (
        StaffProfile.objects.select_for_update().select_related("user").get(pk=staff.pk)
    )
    staff.termination_date = on
    if on > agency_today():
        staff.full_clean()
        staff.save(update_fields=["termination_date"])
        return staff
    already = staff.status == StaffProfile.Status.TERMINATED and not (
        staff.user.is_active
    )
    staff.status = StaffProfile.Status.TERMINATED
    staff.full_clean()
    staff.save(update_fields=["status", "termination_date"])
    for team in Team.objects.filter(supervisors=staff.user):
        team.supervisors.remove(staff.user)
    if not already:
        _access_end(
            user=staff.user,
            by=by,
            action=AccessChange.Action.TERMINATED,
            reason=reason or f"Terminated on {date_format(on)}.",
        )
    return staff


def staff_terminations_apply(*, today: dt.date | None = None) -> int:
    """Apply every termination whose date has come (the nightly task); returns how
    many people lost access now."""
    today = today or agency_today()
    due = StaffProfile.objects.filter(termination_date__lte=today).filter(
        models.Q(user__is_active=True)
        | ~models.Q(status=StaffProfile.Status.TERMINATED)
        | models.Q(user__supervised_teams__isnull=False)
    )
    done = 0
    for staff in due.distinct():
        staff_terminate(staff=staff, on=staff.termination_date, by=None)
        done += 1
    return done


def _reason_required(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give a reason; it is kept in the log."})
    return reason


@transaction.atomic
def user_deactivate(*, user: User, by: User, reason: str) -> User:
    """HR closes an account (no sign-in, sessions ended); records stay."""
    reason = _reason_required(reason)
    if user.pk == by.pk:
        raise ValidationError("You cannot deactivate your own account.")
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise ValidationError("This account is already deactivated.")
    _access_end(user=user, by=by, action=AccessChange.Action.DEACTIVATED, reason=reason)
    return user


@transaction.atomic
def user_reactivate(*, user: User, by: User | None, reason: str) -> User:
    """HR reopens an account; a person terminated as of today stays closed."""
    reason = _reason_required(reason)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        raise ValidationError("This account is already active.")
    staff = StaffProfile.objects.filter(user=user).first()
    if staff is not None and staff.is_terminated_on(agency_today()):
        raise ValidationError(
            "This person is terminated. To rehire them, clear the termination date "
            "and set the status to active first."
        )
    user.is_active = True
    user.save(update_fields=["is_active"])
    user_access_restored.send(sender=User, user=user)
    AccessChange.objects.create(
        user=user, action=AccessChange.Action.REACTIVATED, reason=reason, by=by
    )
    return user


@transaction.atomic
def user_sso_unlink(*, user: User, by: User, reason: str) -> int:
    """HR unlinks a person's single sign-on identities (the next SSO sign-in is
    matched by verified email again); returns how many were unlinked."""
    from allauth.socialaccount.models import SocialAccount

    reason = _reason_required(reason)
    accounts = SocialAccount.objects.filter(user=user)
    providers = ", ".join(sorted({a.provider for a in accounts}))
    if not providers:
        raise ValidationError("This person has no single sign-on identity.")
    unlinked, _ = accounts.delete()
    AccessChange.objects.create(
        user=user,
        action=AccessChange.Action.SSO_UNLINKED,
        reason=f"{reason} (unlinked: {providers})",
        by=by,
    )
    return unlinked


def invitation_token(invitation: Invitation) -> str:
    return signing.Signer(salt=_INVITE_SALT).sign(f"{invitation.pk}.{invitation.nonce}")


def invitation_url(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse(
        "invitation_accept", kwargs={"token": invitation_token(invitation)}
    )


@transaction.atomic
def invitation_create(*, user: User, created_by: User | None = None) -> Invitation:
    """Invite ``user`` to set a password; the email goes out after commit. A
    deactivated or terminated person is refused: the link would open on a closed
    account."""
    from .tasks import send_invitation

    staff = StaffProfile.objects.filter(user=user).first()
    if staff is not None and staff.lifecycle == "terminated":
        raise ValidationError(
            f"{staff.full_name} is terminated, so no invitation was sent. To rehire "
            "them, clear the termination date and set the status to active first."
        )
    if not user.is_active:
        raise ValidationError(
            f"{user} is deactivated, so no invitation was sent: the link would "
            "open on a closed account. Reactivate the account first (Account "
            "access, below), then send the invitation."
        )

    invitation = Invitation.objects.create(
        user=user,
        nonce=secrets.token_hex(8),
        created_by=created_by,
        expires_at=timezone.now() + dt.timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    # An older unused link stops working once a new one is sent.
    Invitation.objects.filter(user=user, accepted_at__isnull=True).exclude(
        pk=invitation.pk
    ).update(expires_at=timezone.now())
    enqueue(send_invitation, invitation.pk)
    return invitation


class InvitationError(Exception):
    """A link that cannot be used; the message is shown to the visitor."""


def invitation_from_token(*, token: str) -> Invitation:
    """The invitation a link stands for, or InvitationError saying why not."""
    try:
        value = signing.Signer(salt=_INVITE_SALT).unsign(token)
        pk, nonce = value.split(".", 1)
        invitation = Invitation.objects.select_related("user").get(
            pk=int(pk), nonce=nonce
        )
    except (signing.BadSignature, ValueError, Invitation.DoesNotExist) as exc:
        raise InvitationError(
            "This invitation link is not valid. Check that you copied the whole "
            "link from the email, or ask HR to send a new invitation."
        ) from exc
    if invitation.accepted_at:
        raise InvitationError(
            "This invitation link has already been used. Log in with the password "
            "you chose, or use “Forgot your password?” to set a new one."
        )
    if invitation.is_expired:
        raise InvitationError(
            "This invitation link has expired. Ask HR to send you a new invitation."
        )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    """Set the password of an invited person; the link cannot be used again."""
    invitation = invitation_from_token(token=token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise InvitationError("This invitation link has already been used.")
    user = invitation.user
    user.set_password(password)
    user.save(update_fields=["password"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return user


def _mail_domain() -> str:
    from email.utils import parseaddr

    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "milieu"


def invitation_send(*, invitation_id: int) -> bool:
    """Email the invitation link once; returns False if it was already sent."""
    from .mail import email_message

    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("user")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.sent_at or invitation.accepted_at:
            return False
        # A second invitation to the same person says why it came again.
        again = (
            Invitation.objects.filter(user_id=invitation.user_id, sent_at__isnull=False)
            .exclude(pk=invitation.pk)
            .exists()
        )
        message = email_message(
            template="portal/email/invitation",
            context={
                "user": invitation.user,
                "url": invitation_url(invitation),
                "expires_at": invitation.expires_at,
                "again": again,
            },
            to=[invitation.user.email],
            headers={"Message-ID": f"<invitation.{invitation.pk}@{_mail_domain()}>"},
        )
        message.send()
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
    return True


def invitations_unsent(*, older_than_minutes: int = 10) -> list[int]:
    """Ids of live invitations created a while ago whose email has not gone out."""
    now = timezone.now()
    return list(
        Invitation.objects.filter(
            sent_at__isnull=True,
            accepted_at__isnull=True,
            expires_at__gt=now,
            created_at__lt=now - dt.timedelta(minutes=older_than_minutes),
            user__is_active=True,
        ).values_list("pk", flat=True)
    )


@transaction.atomic
def invitations_requeue(*, older_than_minutes: int = 10) -> int:
    """Queue again every invitation still unsent (a broker that was down); returns
    how many. An invitation queued twice is sent once."""
    from .tasks import send_invitation

    ids = invitations_unsent(older_than_minutes=older_than_minutes)
    for pk in ids:
        enqueue(send_invitation, pk)
    return len(ids)


def heartbeat_record(*, source: str = "beat") -> int:
    """Record that the scheduler and a worker run (read by /healthz); keeps only the
    last day of rows. Returns the new row's id."""
    Heartbeat.objects.filter(
        created_at__lt=timezone.now() - dt.timedelta(days=1)
    ).delete()
    return Heartbeat.objects.create(source=source).pk


def user_sessions_end_others(*, user: User, keep: str | None) -> int:
    """End every session of ``user`` but the one with key ``keep`` (after their
    login email changed: whoever else was logged in as them is out)."""
    return _end_sessions(user=user, keep=keep)


def login_address_ensure(*, user: User) -> None:
    """The account's login email is on file with allauth as its primary, verified
    address (the invitation went there), so that a change is told apart from it."""
    from allauth.account.models import EmailAddress

    if not user.email:
        return
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        EmailAddress.objects.filter(user=user, primary=True).update(primary=False)
        EmailAddress.objects.create(
            user=user, email=user.email, primary=True, verified=True
        )
    elif not (address.primary and address.verified):
        EmailAddress.objects.filter(user=user, primary=True).exclude(
            pk=address.pk
        ).update(primary=False)
        address.primary = address.verified = True
        address.save(update_fields=["primary", "verified"])


@transaction.atomic
def site_request() -> HttpRequest:
    """A request for the portal's own address (``SITE_URL``), for work done away
    from a browser (a background import) that builds links as a request would."""
    from io import BytesIO
    from urllib.parse import urlsplit

    from django.core.handlers.wsgi import WSGIRequest

    parts = urlsplit(settings.SITE_URL)
    secure = parts.scheme == "https"
    return WSGIRequest(
        {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/",
            "wsgi.input": BytesIO(),
            "wsgi.url_scheme": parts.scheme or "http",
            "HTTP_HOST": parts.netloc,
            "SERVER_NAME": parts.hostname or "localhost",
            "SERVER_PORT": str(parts.port or (443 if secure else 80)),
        }
    )


def user_email_change_request(
    *, user: User, email: str, by: User | None, request=None
) -> bool:
    """Someone other than the person (HR's import, an administrator) asks to change
    their login email. Nothing about the login changes now: no password is set or
    reset; a link goes to the new address, which becomes the login only when the
    person, logged in as themselves, opens it (allauth's email change); the old
    address is told at once. Returns False when ``email`` is already the login.
    """
    from allauth.account.models import EmailAddress
    from allauth.core import context

    email = email.strip().lower()
    if email == user.email.lower():
        return False
    if has_control_characters(email):
        raise ValidationError({"email": "Remove the line break or other character."})
    taken = (
        User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists()
        or EmailAddress.objects.filter(email__iexact=email).exclude(user=user).exists()
    )
    if taken:
        raise ValidationError({"email": "Someone already has this email address."})
    login_address_ensure(user=user)
    request = request or context.request or site_request()
    address = EmailAddress.objects.add_new_email(
        request, user, email, send_verification=False
    )
    old_email = user.email
    AccessChange.objects.create(
        user=user,
        action=AccessChange.Action.EMAIL_CHANGE,
        reason=f"From {old_email} to {email}; waits for the person's confirmation.",
        by=by,
    )

    def send() -> None:
        from allauth.account.adapter import get_adapter

        try:
            address.send_confirmation(request)
        except (SMTPException, OSError):
            # The change stays asked for; HR can ask again to resend the link.
            logger.exception("The email change link to %s was not sent.", email)
        get_adapter(request).send_mail(
            "account/email/email_change_asked",
            old_email,
            {
                "user": user,
                "from_email": old_email,
                "to_email": email,
                "by": by,
                "timestamp": timezone.now(),
            },
        )

    transaction.on_commit(send)
    return True
