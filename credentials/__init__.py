"""Credentials: licences and certifications, documents, verification, reminders."""
