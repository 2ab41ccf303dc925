"""Credentials that machines present on every request (API tokens, Open311 api_keys), looked up through one
per-process cache (`gongzhi.core.localcache`): a valid key costs no query on repeated use. A token's user comes with
its role assignments loaded (the scope checks of the request then cost no query either). Rows are handed out as
copies; saving or deleting a token, a client, a user, a role assignment or a region empties the cache in this
process."""

from __future__ import annotations

import copy

from django.conf import settings

from gongzhi.accounts.scope import assignments
from gongzhi.core.localcache import LocalCache


def copy_credential(row):
    """A copy of a cached credential row and of the rows it selected (its user, its sub-district), with the user's
    own list of role assignments: what a request changes on them stays in that request. (The role assignments
    themselves are shared; nothing writes to them.) Much cheaper than a deep copy of the whole graph."""
    row = copy.copy(row)  # Model.__getstate__ gives the copy its own _state and related-object cache
    cached = row._state.fields_cache
    for name, related in list(cached.items()):
        if related is not None:
            related = cached[name] = copy.copy(related)
            if hasattr(related, "_role_assignment_cache"):
                related._role_assignment_cache = list(related._role_assignment_cache)
    return row


credential_cache = LocalCache(lambda: settings.GONGZHI_CREDENTIAL_CACHE_SECONDS, copies=copy_credential)


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
