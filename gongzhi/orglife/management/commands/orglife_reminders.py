"""Cron entry point reminding each measured party organization's secretary (their account) and its area's staff
when a required period of a meeting kind ends within its remind days and nothing is held yet; one reminder per
organization, kind and period whatever how often it runs, e.g. every morning:

    40 7 * * *  gongzhi manage orglife_reminders
"""

from django.core.management.base import BaseCommand

from gongzhi.orglife.services.meetings import send_reminders


class Command(BaseCommand):
    help = "Remind organizations of required meetings whose period ends soon with nothing held."

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"{len(sent)} meeting reminder(s) sent")
