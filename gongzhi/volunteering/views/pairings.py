"""Volunteering pages of the pairings part."""

urlpatterns: list = []
