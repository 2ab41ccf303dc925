from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def demand_duplicates(request, pk):
    """Filled in by the triage module: duplicate suggestions for one demand (an htmx fragment)."""
    return HttpResponse("")
