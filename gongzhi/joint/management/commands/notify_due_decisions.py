"""Cron entry point telling the owner units' staff and the conveners of the joint meetings' decisions falling due
(or past due), once a day each, e.g. every morning on working days:

    0 8 * * 1-5  gongzhi manage notify_due_decisions
"""

from django.core.management.base import BaseCommand

from gongzhi.joint.services.sessions import DUE_DAYS_AHEAD, notify_due_decisions


class Command(BaseCommand):
    help = "Tell the owner units of joint-meeting decisions falling due, once a day each."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=DUE_DAYS_AHEAD, help="How many days ahead to look.")

    def handle(self, *args, days=DUE_DAYS_AHEAD, **options):
        reminded = notify_due_decisions(days_ahead=days)
        self.stdout.write(f"{len(reminded)} decision(s) reminded")
