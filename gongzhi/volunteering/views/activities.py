"""Volunteering pages of the activities part."""

urlpatterns: list = []
