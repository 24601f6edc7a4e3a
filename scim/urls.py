"""SCIM 2.0 (RFC 7644) endpoints, under /scim/v2/."""

from django.urls import path

from . import views

app_name = "scim"

urlpatterns = [
    path("Users", views.users, name="users"),
    path("Users/<str:pk>", views.user_detail, name="user_detail"),
    path(
        "ServiceProviderConfig",
        views.service_provider_config,
        name="service_provider_config",
    ),
    path("ResourceTypes", views.resource_types, name="resource_types"),
    path("ResourceTypes/<str:name>", views.resource_types, name="resource_type"),
    path("Schemas", views.schemas, name="schemas"),
    path("Schemas/<str:schema_id>", views.schemas, name="schema"),
    path("<path:rest>", views.not_found, name="not_found"),
]
