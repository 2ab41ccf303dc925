"""Pages of the councils part of deliberation (thin: forms in, services and selectors out)."""

urlpatterns: list = []
