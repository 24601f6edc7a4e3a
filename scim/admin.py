"""SCIM tokens in Django's admin (superusers): made with a name, shown once in
the confirmation message, revoked by setting "revoked at"; never edited."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest

from .models import ScimLink, ScimMapping, ScimToken
from .services import _hash, scim_token_create


@admin.register(ScimToken)
class ScimTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "created_by", "last_used_at"]
    fields = [
        "name",
        "prefix",
        "created_at",
        "created_by",
        "last_used_at",
        "revoked_at",
    ]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # revoke instead: the audit log names the token

    def save_model(self, request: HttpRequest, obj: ScimToken, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        row, token = scim_token_create(name=obj.name, by=request.user)  # type: ignore[arg-type]
        obj.pk, obj.token_hash, obj.prefix = row.pk, _hash(token), row.prefix
        obj.created_at, obj.created_by = row.created_at, row.created_by
        messages.warning(
            request,
            f"Copy this SCIM token now; it cannot be shown again: {token}",
        )


@admin.register(ScimLink)
class ScimLinkAdmin(admin.ModelAdmin):
    list_display = ["staff", "external_id", "updated_at"]
    readonly_fields = ["staff", "external_id", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ScimMapping)
class ScimMappingAdmin(admin.ModelAdmin):
    list_display = ["kind", "value", "job_role", "team"]
    list_filter = ["kind"]
