"""Rendered HTML kept per person until something it draws changes.

A person's home panels (their next training, their credentials) are the same on
every visit until one of their records changes, the agency's shared setup
(requirements, job roles, teams, published pages, settings) changes, or the day
turns. Each kept fragment is stored with the stamp it was drawn under: the agency
day, the person's version and the shared version. A change replaces the version
it touches with a new random token, at once and again after its transaction
commits, so the next read draws the fragment afresh, in whatever process serves
it (the cache is shared by every worker: the database, or Redis when
``CACHE_URL`` says so).

Readers pay one cache read for every kept fragment of a page. Writers call
``person_changed(staff_id)`` or ``shared_changed()``; the apps connect them to
the saves and deletes of their models (and the readiness store calls them for
every person it recomputes, the one path every status change takes). A cache
that fails is logged and skipped: the page is drawn as if nothing were kept.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache, caches
from django.db import transaction
from django.db.models import Model

from .dates import agency_today

logger = logging.getLogger(__name__)
T = TypeVar("T")

SHARED_KEY = "milieu:fragments:shared"
# A bound on how long a fragment is kept even if nothing says it changed.
KEEP_SECONDS = 15 * 60
# Beyond this many people, one change renews the shared version instead.
PER_PERSON_LIMIT = 50


def _person_key(staff_id: int) -> str:
    return f"milieu:fragments:person:{staff_id}"


def _renew(keys: list[str]) -> None:
    try:
        cache.set_many({key: secrets.token_hex(8) for key in keys}, timeout=None)
    except Exception:  # noqa: BLE001 - a cache outage must not cost the change
        logger.exception("Could not renew fragment versions %s", keys)


def person_changed(staff_ids: int | Iterable[int]) -> None:
    """What is kept for these people is out of date once the change commits."""
    ids = sorted({staff_ids} if isinstance(staff_ids, int) else set(staff_ids))
    if not ids:
        return
    if len(ids) > PER_PERSON_LIMIT:
        shared_changed()
        return
    _renew_now_and_on_commit([_person_key(pk) for pk in ids])


def shared_changed() -> None:
    """What is kept for everyone is out of date once the change commits."""
    _renew_now_and_on_commit([SHARED_KEY])


def _renew_now_and_on_commit(keys: list[str]) -> None:
    # Now: within the change's own transaction. With the database cache the
    # renewal is part of that transaction, so other processes see the new
    # version together with the change. Another cache (Redis) shows it at once:
    # renewed again on commit, a panel another process drew meanwhile from the
    # records as they were is not kept under the version that follows.
    _renew(keys)
    if transaction.get_connection().in_atomic_block and not _cache_in_database():
        transaction.on_commit(lambda: _renew(keys))


def _cache_in_database() -> bool:
    from django.core.cache.backends.db import DatabaseCache

    return isinstance(caches["default"], DatabaseCache)


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
    from the cache while none of them, the shared setup or the day has changed
    since it was kept, else built and kept. ``extra`` names anything else the
    value depends on (it keys the entry). ``build``'s value must pickle."""
    ids = list(staff_ids)
    person_keys = [_person_key(pk) for pk in ids]
    digest = hashlib.sha256(repr((ids, extra)).encode()).hexdigest()[:32]
    entry_key = f"milieu:fragments:{name}:{digest}"
    try:
        found = cache.get_many([*person_keys, SHARED_KEY, entry_key])
    except Exception:  # noqa: BLE001 - draw the page without the cache
        logger.exception("Could not read kept fragments")
        return build()
    keep = _start_versions(found, [*person_keys, SHARED_KEY])
    stamp = (
        str(agency_today()),
        found[SHARED_KEY],
        tuple(found[key] for key in person_keys),
    )
    kept = found.get(entry_key)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    value = build()
    if keep:
        try:
            cache.set(entry_key, (stamp, value), timeout=KEEP_SECONDS)
        except Exception:  # noqa: BLE001
            logger.exception("Could not keep fragments")
    return value


def _start_versions(found: dict, keys: list[str]) -> bool:
    """Give each of ``keys`` missing from ``found`` a first version (``add``: a
    version a change has just set is never overwritten). False when one could
    not be set: what is built now is not kept."""
    keep = True
    try:
        for key in keys:
            if key not in found:
                found[key] = secrets.token_hex(8)
                keep = cache.add(key, found[key], timeout=None) and keep
    except Exception:  # noqa: BLE001
        logger.exception("Could not start fragment versions")
        for key in keys:
            found.setdefault(key, "")
        return False
    return keep


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
    """Saves and deletes of these models (and, for pages, publishing and
    unpublishing) change what is kept for everyone."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page
    from wagtail.signals import page_published, page_unpublished

    for model in models:
        uid = f"fragments-shared-{model._meta.label_lower}"
        post_save.connect(_on_shared_record, sender=model, dispatch_uid=uid)
        post_delete.connect(_on_shared_record, sender=model, dispatch_uid=uid)
        if issubclass(model, Page):
            page_published.connect(_on_shared_record, sender=model, dispatch_uid=uid)
            page_unpublished.connect(_on_shared_record, sender=model, dispatch_uid=uid)
