"""Volunteering pages of the volunteers part."""

urlpatterns: list = []
