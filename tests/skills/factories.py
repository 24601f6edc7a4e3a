"""Factories for skill checklists and sign-offs."""

import datetime as dt

import factory

from skills.models import (
    SkillChecklist,
    SkillChecklistItem,
    SkillRequirement,
    SkillSignOff,
    SkillSignOffItem,
)
from tests.factories import as_written


class SkillChecklistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillChecklist
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Skill {n}")
    recheck_months = None

    @factory.post_generation
    def items(self, create, extracted, **kwargs):
        if not create:
            return
        for n, text in enumerate(extracted or ["First step", "Second step"]):
            SkillChecklistItem.objects.create(checklist=self, text=text, sort_order=n)


class SkillRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillRequirement

    class Params:
        before_first_shift = True

    checklist = factory.SubFactory(SkillChecklistFactory)
    due_rule = factory.LazyAttribute(
        lambda o: "before_first_shift" if o.before_first_shift else "within_days"
    )


def make_signoff(
    *,
    staff,
    checklist,
    signed_by,
    observed_on: dt.date | None = None,
    met=True,
    corrects=None,
) -> SkillSignOff:
    """A sign-off written straight to the database (rules are tested elsewhere)."""
    observed_on = observed_on or as_written(dt.date(2026, 2, 1))
    signoff = SkillSignOff.objects.create(
        staff=staff,
        checklist=checklist,
        observed_on=observed_on,
        signed_by=signed_by,
        signature_name=signed_by.get_full_name(),
        met=met,
        corrects=corrects,
    )
    for n, item in enumerate(checklist.items.all()):
        SkillSignOffItem.objects.create(
            sign_off=signoff,
            position=n,
            text=item.text,
            result="met" if met or n else "needs_practice",
        )
    return signoff
