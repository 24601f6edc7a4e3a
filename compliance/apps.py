"""Compliance: the readiness roll-up, team matrix, skill sign-offs, exports."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate

HR_PERMISSIONS = [
    "compliance.add_skillchecklist",
    "compliance.change_skillchecklist",
    "compliance.delete_skillchecklist",
    "compliance.view_skillchecklist",
    "compliance.view_skillsignoff",
    "compliance.add_skillrequirement",
    "compliance.change_skillrequirement",
    "compliance.delete_skillrequirement",
    "compliance.view_skillrequirement",
]


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = "Compliance"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from portal.registry import (
            register_home_panel,
            register_nav,
            register_person_panel,
        )
        from portal.requirements import register_provider
        from portal.roles import Role

        from . import models, panels
        from .skills import skill_provider

        post_migrate.connect(_grant_hr, sender=self)
        register_provider("skill", skill_provider)
        auditlog.register(models.SkillChecklist)
        auditlog.register(models.SkillRequirement)
        auditlog.register(models.SkillSignOff)
        auditlog.register(models.SkillSignOffItem)

        register_nav(
            "Team matrix",
            "compliance:matrix",
            roles={Role.SUPERVISOR, Role.HR, Role.ADMIN},
            order=30,
        )
        register_nav(
            "Compliance", "compliance:dashboard", roles={Role.HR, Role.ADMIN}, order=60
        )
        register_home_panel(
            "compliance-team-matrix",
            panels.home_matrix_panel,
            roles={Role.SUPERVISOR},
            order=10,
        )
        register_person_panel("compliance-readiness", panels.person_panel, order=10)


def _grant_hr(sender, using="default", **kwargs) -> None:
    from django.contrib.auth.management import create_permissions

    from portal.roles import Role
    from portal.services import roles_ensure

    create_permissions(sender, verbosity=0, using=using)
    roles_ensure(extra={Role.HR: HR_PERMISSIONS})
