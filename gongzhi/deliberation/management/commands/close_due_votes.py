"""Cron entry point closing and counting every open vote whose period is over, e.g. every ten minutes:

    */10 * * * *  gongzhi manage close_due_votes
"""

from django.core.management.base import BaseCommand

from gongzhi.deliberation.services.votes import close_due_votes


class Command(BaseCommand):
    help = "Close and count every open vote whose voting period is over."

    def handle(self, *args, **options):
        closed = close_due_votes()
        self.stdout.write(f"{len(closed)} vote(s) closed and counted")
