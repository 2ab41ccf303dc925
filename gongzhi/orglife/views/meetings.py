"""Organization-life pages of the meetings part."""

urlpatterns: list = []
