"""Volunteering pages of the wishes part."""

urlpatterns: list = []
