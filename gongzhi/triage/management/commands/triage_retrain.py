"""`gongzhi manage triage_retrain [--subdistrict CODE] [--min-rows N] [--enqueue]`: retrain the triage
classifiers from each sub-district's labelled demands (see gongzhi.triage.services for cron / worker use)."""

from django.core.management.base import BaseCommand, CommandError

from gongzhi.registry.models import Region, RegionKind
from gongzhi.triage.services import MIN_ROWS, retrain_all


class Command(BaseCommand):
    help = "Retrain the triage classifier of each sub-district; a new model is activated only if not worse."

    def add_arguments(self, parser):
        parser.add_argument("--subdistrict", action="append", metavar="CODE",
                            help="sub-district code (repeatable; default: every sub-district)")
        parser.add_argument("--min-rows", type=int, default=MIN_ROWS,
                            help=f"labelled demands needed to train (default {MIN_ROWS})")
        parser.add_argument("--enqueue", action="store_true", help="run it on the background worker instead")

    def handle(self, *args, subdistrict=None, min_rows=MIN_ROWS, enqueue=False, **options):
        codes = subdistrict or None
        if codes:
            known = set(Region.objects.filter(kind=RegionKind.SUBDISTRICT, code__in=codes)
                        .values_list("code", flat=True))
            if missing := sorted(set(codes) - known):
                raise CommandError(f"no such sub-district: {', '.join(missing)}")
        if enqueue:
            from gongzhi.triage.tasks import retrain_triage_models

            result = retrain_triage_models.enqueue(codes=codes, min_rows=min_rows)
            self.stdout.write(f"enqueued {result.id}")
            return
        for sub, model in retrain_all(codes=codes, min_rows=min_rows):
            if model is None:
                self.stdout.write(f"{sub.code}: too few labelled demands (need {min_rows}); no model")
                continue
            state = "activated" if model.active else "kept inactive (worse than the active model)"
            self.stdout.write(f"{sub.code}: model {model.pk} on {model.training_size} demands, "
                              f"macro-F1 {model.macro_f1:.3f}, {state}")
