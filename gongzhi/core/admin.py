"""Shared admin parts."""


class NoEdits:
    """An admin mixin for rows that change only through their services (or never): the admin shows them but
    neither edits nor deletes one."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
