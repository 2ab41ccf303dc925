"""Seed the demo street (梧桐街道) into an empty database, deterministically."""

import time

from django.core.management.base import BaseCommand, CommandError

from gongzhi.registry.models import (
    Building,
    MemberUnit,
    PartyMember,
    PartyOrg,
    Region,
    ServicePlace,
)


class Command(BaseCommand):
    help = "Seed the demo street: regions, party organizations and members, member units, teams and demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="do nothing when the database already has regions")

    def handle(self, *args, if_empty=False, **options):
        if Region.objects.exists():
            if if_empty:
                self.stdout.write("数据库已有数据，跳过演示数据 / the database already holds data: demo seed skipped")
                return
            raise CommandError("The database already holds regions; the demo street seeds an empty database only.")
        from gongzhi.demo import run_seed

        started = time.perf_counter()
        ctx = run_seed()
        elapsed = time.perf_counter() - started
        counts = {
            "regions": Region.objects.count(),
            "buildings": Building.objects.count(),
            "member units": MemberUnit.objects.count(),
            "party orgs": PartyOrg.objects.count(),
            "party members": PartyMember.objects.count(),
            "service places": ServicePlace.objects.count(),
            "demo accounts": len(ctx.users),
        }
        summary = ", ".join(f"{n} {label}" for label, n in counts.items())
        self.stdout.write(f"演示街道已生成 / demo street seeded in {elapsed:.1f} s: {summary}")
