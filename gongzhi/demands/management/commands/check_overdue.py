"""Cron entry point for the overdue check, e.g. hourly on working days:

    0 8-18 * * 1-5  gongzhi manage check_overdue            # run the check now
    0 8-18 * * 1-5  gongzhi manage check_overdue --enqueue  # or hand it to the django-tasks worker
"""

from django.core.management.base import BaseCommand

from gongzhi.demands import services
from gongzhi.demands.tasks import check_overdue_demands


class Command(BaseCommand):
    help = "Mark overdue demands, notify those responsible and escalate them one tier."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Enqueue the django-tasks job instead.")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = check_overdue_demands.enqueue()
            self.stdout.write(f"enqueued {result.id}")
            return
        handled = services.check_overdue()
        self.stdout.write(f"{len(handled)} overdue demand(s) handled")
