"""Organization-life pages of the records part."""

urlpatterns: list = []
