"""URLs of the courses app."""

urlpatterns: list = []
