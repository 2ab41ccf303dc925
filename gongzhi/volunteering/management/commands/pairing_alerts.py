"""Cron entry point telling the anchors (the member's account, the unit's liaisons) and the area staff of each
pairing without contact for longer than its kind's interval, one inbox message per pairing per run, e.g. every
morning:

    30 7 * * *  gongzhi manage pairing_alerts
"""

from django.core.management.base import BaseCommand

from gongzhi.volunteering.services.pairings import notify_overdue


class Command(BaseCommand):
    help = "Tell the anchors and area staff of pairings without contact for longer than their interval."

    def handle(self, *args, **options):
        alerted = notify_overdue()
        self.stdout.write(f"{len(alerted)} pairing(s) without contact alerted")
