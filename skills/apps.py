"""Skills: observed competencies (checklists), their sign-offs, and the "skill"
requirement provider."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate

HR_PERMISSIONS = [
    "skills.add_skillchecklist",
    "skills.change_skillchecklist",
    "skills.delete_skillchecklist",
    "skills.view_skillchecklist",
    "skills.view_skillsignoff",
    "skills.add_skillrequirement",
    "skills.change_skillrequirement",
    "skills.delete_skillrequirement",
    "skills.view_skillrequirement",
]


class SkillsConfig(AppConfig):
    name = "skills"
    verbose_name = "Skills"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from portal.requirements import register_provider

        from . import models
        from .provider import skill_provider

        post_migrate.connect(_grant_hr, sender=self)
        register_provider("skill", skill_provider)
        auditlog.register(models.SkillChecklist)
        auditlog.register(models.SkillRequirement)
        auditlog.register(models.SkillSignOff)
        auditlog.register(models.SkillSignOffItem)


def _grant_hr(sender, using="default", **kwargs) -> None:
    from django.contrib.auth.management import create_permissions

    from portal.roles import Role
    from portal.services import roles_ensure

    create_permissions(sender, verbosity=0, using=using)
    roles_ensure(extra={Role.HR: HR_PERMISSIONS})
