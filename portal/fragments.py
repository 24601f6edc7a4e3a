"""Rendered HTML kept per person until something it draws changes.

A person's home panels (their next training, their credentials) are the same on
every visit until one of their records changes, the agency's shared setup
(requirements, job roles, teams, published pages, settings) changes, the day
turns or a new release is deployed. Each kept fragment is stored in the cache
under the stamp it was drawn under: the agency day, the release
(``settings.RELEASE``), the person's version and the shared version. The versions
are rows of the database (``FragmentVersion``): a change replaces the version it
touches with a new random token in its own transaction, so the renewal commits
or rolls back with it, and a page drawn from the records as they were before the
commit is kept under the version that is being replaced.

Readers pay one query for the versions and one cache read for every kept
fragment of a page. Writers call ``person_changed(staff_id)`` or
``shared_changed()``; the apps connect them to the saves and deletes of their
models, and to the publishing, unpublishing and deleting of pages (not to a
page's saves: every draft and revision saves the page). The readiness store calls
them for every person it recomputes, the one path every status change takes. A
cache that fails is logged and skipped: the page is drawn as if nothing were kept.
Kept HTML decides nothing the records would not: a change that skips signals is
followed by ``readiness.services.readiness_refresh_or_defer``, which renews it.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Model

from .dates import agency_today

logger = logging.getLogger(__name__)
T = TypeVar("T")

SHARED_KEY = "shared"
# A bound on how long a fragment is kept in the cache (the versions decide
# whether it is still right).
KEEP_SECONDS = 60 * 60
# Beyond this many people, one change renews the shared version instead.
PER_PERSON_LIMIT = 50


def _person_key(staff_id: int) -> str:
    return f"person:{staff_id}"


def _renew(keys: list[str]) -> None:
    from .models import FragmentVersion

    FragmentVersion.objects.bulk_create(
        [
            FragmentVersion(key=key, version=secrets.token_hex(8))
            for key in sorted(keys)
        ],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["version"],
    )


def person_changed(staff_ids: int | Iterable[int]) -> None:
    """What is kept for these people is out of date (with the change's commit)."""
    ids = sorted({staff_ids} if isinstance(staff_ids, int) else set(staff_ids))
    if not ids:
        return
    if len(ids) > PER_PERSON_LIMIT:
        shared_changed()
        return
    _renew([_person_key(pk) for pk in ids])


def shared_changed() -> None:
    """What is kept for everyone is out of date (with the change's commit)."""
    _renew([SHARED_KEY])


def _versions(keys: list[str]) -> dict[str, str]:
    from .models import FragmentVersion

    found = dict(
        FragmentVersion.objects.filter(key__in=keys).values_list("key", "version")
    )
    return {key: found.get(key, "") for key in keys}


def person_fragments(
    staff_id: int, builders: dict[str, Callable[[], str | None]]
) -> dict[str, str | None]:
    """``{name: html}`` for each builder, kept together for this person (their
    home panels): one cache read for them all, one write when they are drawn."""
    if not builders:
        return {}
    return people_fragment(
        "person",
        [staff_id],
        lambda: {name: build() for name, build in builders.items()},
        extra=tuple(builders),
    )


def people_fragment(
    name: str, staff_ids: list[int], build: Callable[[], T], *, extra: Any = None
) -> T:
    """What ``build`` draws from these people's records (a page of the matrix),
    from the cache while none of them, the shared setup, the release or the day
    has changed since it was kept, else built and kept. ``extra`` names anything
    else the value depends on (it keys the entry). ``build``'s value must pickle."""
    ids = list(staff_ids)
    person_keys = [_person_key(pk) for pk in ids]
    versions = _versions([*person_keys, SHARED_KEY])
    stamp = (
        str(agency_today()),
        settings.RELEASE,
        versions[SHARED_KEY],
        tuple(versions[key] for key in person_keys),
    )
    digest = hashlib.sha256(repr((ids, extra)).encode()).hexdigest()[:32]
    entry_key = f"milieu:fragments:{name}:{digest}"
    try:
        kept = cache.get(entry_key)
    except Exception:  # noqa: BLE001 - draw the page without the cache
        logger.exception("Could not read kept fragments")
        return build()
    if kept is not None and kept[0] == stamp:
        return kept[1]
    value = build()
    try:
        cache.set(entry_key, (stamp, value), timeout=KEEP_SECONDS)
    except Exception:  # noqa: BLE001
        logger.exception("Could not keep fragments")
    return value


def _staff_id_of(instance: Any) -> int | None:
    """The staff record behind a saved row: its ``staff``, else the one of its
    ``user`` (or of the user itself)."""
    from .models import StaffProfile, User

    staff_id = getattr(instance, "staff_id", None)
    user_id = (
        instance.pk
        if isinstance(instance, User)
        else getattr(instance, "user_id", None)
    )
    if staff_id is None and user_id is not None:
        staff_id = (
            StaffProfile.objects.filter(user_id=user_id)
            .values_list("pk", flat=True)
            .first()
        )
    return staff_id


def _on_person_record(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("update_fields") == frozenset({"last_login"}):
        return  # a login: nothing drawn shows it
    staff_id = _staff_id_of(instance)
    if staff_id is not None:
        person_changed(staff_id)


def _on_shared_record(sender: Any, **kwargs: Any) -> None:
    shared_changed()


def watch_person_records(*models: type[Model]) -> None:
    """Saves and deletes of these models (each with a ``staff`` or a ``user``,
    or the user model itself) change what is kept for their person."""
    from django.db.models.signals import post_delete, post_save

    for model in models:
        uid = f"fragments-person-{model._meta.label_lower}"
        post_save.connect(_on_person_record, sender=model, dispatch_uid=uid)
        post_delete.connect(_on_person_record, sender=model, dispatch_uid=uid)


def watch_shared_records(*models: type[Model]) -> None:
    """Saves and deletes of these models change what is kept for everyone; for
    pages, publishing, unpublishing and deleting do (a draft's save does not)."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page
    from wagtail.signals import page_published, page_unpublished

    for model in models:
        uid = f"fragments-shared-{model._meta.label_lower}"
        post_delete.connect(_on_shared_record, sender=model, dispatch_uid=uid)
        if not issubclass(model, Page):
            post_save.connect(_on_shared_record, sender=model, dispatch_uid=uid)
        else:
            page_published.connect(_on_shared_record, sender=model, dispatch_uid=uid)
            page_unpublished.connect(_on_shared_record, sender=model, dispatch_uid=uid)
