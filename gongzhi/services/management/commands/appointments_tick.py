"""Cron entry point of the appointments: SMS reminders for booked appointments starting within their place's
reminder hours (once each), then no-shows for booked slots that ended more than half an hour ago. Run it often,
e.g. every ten minutes:

    */10 * * * *  gongzhi manage appointments_tick
"""

from django.core.management.base import BaseCommand

from gongzhi.services.services.appointments import tick


class Command(BaseCommand):
    help = "Send appointment reminders and mark no-shows."

    def handle(self, *args, **options):
        reminded, no_shows = tick()
        self.stdout.write(f"{reminded} reminder(s) sent, {no_shows} no-show(s) marked")
