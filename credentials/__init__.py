"""Credentials: licenses and certifications, documents, verification, reminders."""
