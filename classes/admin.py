"""Django admin (administrators only) for the CE rules: categories and the
requirement per license type with its category minimums."""

from django.contrib import admin

from .models import CECategory, CECategoryMinimum, CERequirement


class MinimumInline(admin.TabularInline):
    model = CECategoryMinimum
    extra = 1


@admin.register(CERequirement)
class CERequirementAdmin(admin.ModelAdmin):
    list_display = ["credential_type", "total_hours", "cycle_months"]
    inlines = [MinimumInline]


@admin.register(CECategory)
class CECategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}
