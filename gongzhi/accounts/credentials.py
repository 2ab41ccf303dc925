"""Credentials that machines present on every request (API tokens, Open311 api_keys), looked up through one
per-process cache (`gongzhi.core.localcache`): a valid key costs no query on repeated use. A token's user comes with
its role assignments loaded (the scope checks of the request then cost no query either). Rows are handed out as
copies; saving or deleting a token, a client, a user, a role assignment or a region empties the cache in this
process."""

from __future__ import annotations

from django.conf import settings

from gongzhi.accounts.scope import assignments
from gongzhi.core.localcache import LocalCache

credential_cache = LocalCache(lambda: settings.GONGZHI_CREDENTIAL_CACHE_SECONDS, copies=True)


def api_token(key: str):
    """The active token with this key (its user selected), or None."""
    from gongzhi.accounts.models import ApiToken

    key_hash = ApiToken.hash_key(key)

    def load():
        token = next(iter(
            ApiToken.objects.select_related("user").filter(key_hash=key_hash, revoked=False, user__is_active=True)[:1]
        ), None)
        if token is not None:
            assignments(token.user)  # cached on the user, so it travels with the cached copy
        return token

    return credential_cache.get(("api-token", key_hash), load)
