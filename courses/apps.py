"""Training: Wagtail course pages, quizzes, assignments, completions, certificates."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Training"

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from wagtail.signals import page_published

        from portal.bulk import register_kind
        from portal.registry import (
            register_digest_section,
            register_home_panel,
            register_nav,
            register_person_panel,
        )
        from portal.requirements import register_provider
        from portal.roles import Role
        from portal.signals import staff_job_role_assigned

        from . import digest, models, panels, receivers, selectors
        from .selectors import course_requirement_statuses
        from .services import bulk_job_kinds

        for name, kind in bulk_job_kinds().items():
            register_kind(name, kind)

        post_migrate.connect(_grant_permissions, sender=self)
        staff_job_role_assigned.connect(
            receivers.assign_job_role_requirements, dispatch_uid="courses-assign-role"
        )
        for model in (
            models.CoursePage,
            models.LessonPage,
            models.QuizPage,
            models.AttestationPage,
        ):
            page_published.connect(
                receivers.bump_course_version,
                sender=model,
                dispatch_uid=f"courses-bump-version-{model._meta.model_name}",
            )
        for record in (
            models.Completion,
            models.Attestation,
            models.Assignment,
            models.CourseRequirement,
            models.QuizReset,
            models.QuizAttempt,
        ):
            auditlog.register(record)

        register_nav(
            "My training",
            "courses:my_training",
            roles=set(Role),
            order=10,
            needs_staff_profile=True,
        )
        from portal.attention import register_attention

        register_attention(
            "training",
            selectors.attention_training,
            url_name="courses:my_training",
            needs_staff_profile=True,
            order=10,
        )
        register_home_panel(
            "courses-next",
            panels.home_next_due,
            roles=set(Role),
            order=10,
            per_person=True,
        )
        from portal.fragments import watch_person_records, watch_shared_records

        watch_person_records(
            models.Completion,
            models.Assignment,
            models.LessonProgress,
            models.QuizReset,
            models.QuizAttempt,
            models.Attestation,
        )
        watch_shared_records(
            models.CourseRequirement,
            models.TrainingLibraryPage,
            models.CoursePage,
            models.LessonPage,
            models.QuizPage,
            models.AttestationPage,
        )
        register_person_panel("courses-training", panels.person_training, order=20)
        register_person_panel("courses-quiz-locks", panels.person_quiz_locks, order=5)
        register_digest_section(
            "overdue_training", digest.digest_overdue_training, order=20
        )
        register_digest_section(
            "locked_quizzes", digest.digest_locked_quizzes, order=30
        )
        register_provider("course", course_requirement_statuses)


def _grant_permissions(sender, using="default", **kwargs) -> None:
    from django.contrib.auth.management import create_permissions

    from portal.roles import Role
    from portal.services import roles_ensure

    create_permissions(sender, verbosity=0, using=using)
    roles_ensure(
        extra={
            Role.HR: [
                "courses.add_courserequirement",
                "courses.change_courserequirement",
                "courses.delete_courserequirement",
                "courses.view_courserequirement",
                "courses.view_completion",
                "courses.view_attestation",
                "courses.add_assignment",
                "courses.view_assignment",
            ],
        }
    )
