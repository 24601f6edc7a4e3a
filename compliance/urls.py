"""URLs of the compliance app."""

urlpatterns: list = []
