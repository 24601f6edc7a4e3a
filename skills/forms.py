"""Forms of the skills pages."""

from __future__ import annotations

from django import forms

from portal.dates import agency_today
from portal.validators import validate_plausible_date

from .models import SkillChecklist, SkillSignOffItem

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SignOffForm(forms.Form):
    """Observed on, one met/needs-practice choice per item, notes, typed signature."""

    observed_on = forms.DateField(
        label="Date observed", widget=DATE_INPUT, validators=[validate_plausible_date]
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    signature_name = forms.CharField(
        label="Signature: type your full name",
        max_length=200,
        help_text="Typing your name signs this record. It cannot be edited later.",
    )

    def __init__(self, *args, checklist: SkillChecklist, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("observed_on", agency_today())
        self.items = list(checklist.items.order_by("sort_order", "pk"))
        self.item_fields = []
        for n, item in enumerate(self.items):
            name = f"item_{n}"
            self.fields[name] = forms.ChoiceField(
                label=item.text,
                choices=SkillSignOffItem.Result.choices,
                widget=forms.RadioSelect,
            )
            self.item_fields.append(name)
        # The item fields come first on the page.
        order = [*self.item_fields, "observed_on", "notes", "signature_name"]
        self.order_fields(order)

    def results(self) -> list[tuple[str, str]]:
        return [
            (item.text, self.cleaned_data[f"item_{n}"])
            for n, item in enumerate(self.items)
        ]
