"""The CMS's and Django admin's user forms: a new email typed there is asked for
as a login email change (the person confirms it), never written over the login."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from wagtail.users.views.users import EditView as WagtailEditView
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .models import User
from .services import user_email_change_request


def hold_email_change(form: Any) -> str | None:
    """Put the login email back on the form's user; returns the new one typed."""
    if "email" not in form.changed_data:
        return None
    new_email = form.cleaned_data["email"]
    form.instance.email = form.initial["email"]
    return new_email


def ask_email_change(request: HttpRequest, *, user: User, email: str) -> None:
    """Ask for the change and say what happens next (or why it cannot)."""
    by = request.user if isinstance(request.user, User) else None
    try:
        user_email_change_request(user=user, email=email, by=by, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.info(
            request,
            f"A link went to {email}: it becomes {user}'s login email when they "
            f"confirm it while logged in. {user.email} was told and stays the "
            "login until then.",
        )


class EditView(WagtailEditView):
    def save_instance(self):
        new_email = hold_email_change(self.form)
        instance = super().save_instance()
        if new_email:
            ask_email_change(self.request, user=instance, email=new_email)
        return instance


class UserViewSet(WagtailUserViewSet):
    edit_view_class = EditView
