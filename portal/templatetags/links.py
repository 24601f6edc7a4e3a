"""Links built from a URL that may already carry a querystring."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django import template

register = template.Library()


def with_params(url: str, **params: object) -> str:
    """``url`` with ``params`` set in its querystring (added with ``?`` or ``&``
    as the URL needs; a value of None removes the parameter)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    for name, value in params.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = str(value)
    return urlunsplit(parts._replace(query=urlencode(query)))


@register.simple_tag
def url_with(url: str, **params: object) -> str:
    """``{% url_with r.url staff=person.pk %}``: see ``with_params``."""
    return with_params(url, **params)
