"""Pages of the votes part of deliberation (thin: forms in, services and selectors out)."""

urlpatterns: list = []
