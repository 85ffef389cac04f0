"""Whose API tokens a person may touch: only their own (another's answers 404)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from samepage.accounts.models import ApiToken


def _pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def access_api_token(user: Any, token_id: Any) -> ApiToken:
    """One of ``user``'s own API tokens, or 404."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    token = ApiToken.objects.filter(pk=_pk(token_id), user=user).first()
    if token is None:
        raise Http404
    return token
