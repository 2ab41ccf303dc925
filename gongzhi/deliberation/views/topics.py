"""Pages of the topics part of deliberation (thin: forms in, services and selectors out)."""

urlpatterns: list = []
