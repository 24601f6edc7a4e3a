"""Compliance: the readiness roll-up, team matrix, dashboard, exports."""

from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = "Compliance"

    def ready(self) -> None:
        from portal.registry import (
            register_digest_section,
            register_home_panel,
            register_nav,
            register_person_panel,
        )
        from portal.roles import Role

        from . import digest, panels

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
        from portal.attention import register_attention

        from .attention import attention_team

        register_attention(
            "team",
            attention_team,
            url_name="compliance:matrix",
            roles={Role.SUPERVISOR},
            order=30,
        )
        register_person_panel("compliance-readiness", panels.person_panel, order=10)
        register_digest_section(
            "new_hires_not_ready", digest.digest_new_hires_not_ready, order=10
        )
