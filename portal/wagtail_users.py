"""The CMS's users app (wagtail.users) with its edit form's email change asked
for as a login email change (portal/cms_users.py)."""

from wagtail.users.apps import WagtailUsersAppConfig


class MilieuUsersConfig(WagtailUsersAppConfig):
    user_viewset = "portal.cms_users.UserViewSet"
