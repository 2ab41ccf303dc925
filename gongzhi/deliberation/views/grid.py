"""Pages of the grid part of deliberation (thin: forms in, services and selectors out)."""

urlpatterns: list = []
