"""Organization-life pages of the awards part."""

urlpatterns: list = []
