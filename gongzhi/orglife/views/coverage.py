"""Organization-life pages of the coverage part."""

urlpatterns: list = []
