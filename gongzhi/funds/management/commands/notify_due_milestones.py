"""Cron entry point telling the fund's staff of the milestones of funded projects falling due (or past due), each
once, e.g. every morning on working days:

    0 8 * * 1-5  gongzhi manage notify_due_milestones
"""

from django.core.management.base import BaseCommand

from gongzhi.funds.services.delivery import DUE_DAYS_AHEAD, notify_due_milestones


class Command(BaseCommand):
    help = "Tell the fund's staff of the milestones of funded projects falling due, each once."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=DUE_DAYS_AHEAD, help="How many days ahead to look.")

    def handle(self, *args, days=DUE_DAYS_AHEAD, **options):
        reminded = notify_due_milestones(days_ahead=days)
        self.stdout.write(f"{len(reminded)} milestone(s) reminded")
