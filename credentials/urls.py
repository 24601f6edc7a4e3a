"""URLs of the credentials app."""

urlpatterns: list = []
