"""Classes: instructor-led sessions, bookings, rosters, and CE hours per license."""

from django.apps import AppConfig


class ClassesConfig(AppConfig):
    name = "classes"
    verbose_name = "Classes and CE"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from portal.registry import (
            register_calendar_source,
            register_home_panel,
            register_nav,
            register_person_panel,
        )
        from portal.requirements import register_annotator
        from portal.roles import Role

        from . import ics, models, panels, selectors

        for model in (
            models.ClassSession,
            models.Booking,
            models.Roster,
            models.RosterEntry,
            models.CERequirement,
            models.CECategoryMinimum,
            models.CEActivity,
            models.Evaluation,
        ):
            auditlog.register(model)

        from portal.fragments import watch_person_records, watch_shared_records

        # A booked seat shows in the person's matrix cell.
        watch_person_records(models.Booking)
        watch_shared_records(models.ClassSession)
        register_nav("Classes", "classes:list", order=25)
        from portal.attention import register_user_flag

        register_user_flag("holds_ce_license", selectors.holds_ce_license)
        register_nav(
            "CE hours",
            "classes:ce_mine",
            order=26,
            needs_staff_profile=True,
            needs_flag="holds_ce_license",
        )
        register_nav(
            "CE shortfalls",
            "classes:ce_shortfalls",
            roles={Role.SUPERVISOR, Role.HR, Role.ADMIN},
            order=46,
        )
        register_person_panel("classes", panels.person, order=25)
        # Anyone may be the instructor of record; the panel draws only for them.
        register_home_panel(
            "classes-teaching", panels.home_teaching, roles=set(Role), order=12
        )
        register_annotator("class-bookings", selectors.annotate_bookings)
        register_calendar_source("classes", ics.feed_events)
