"""Activate the agency's time zone so every date shown is the agency's date."""

from django.utils import timezone

from .dates import agency_time_zone


class AgencyTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timezone.activate(agency_time_zone())
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
