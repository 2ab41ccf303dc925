"""gongzhi export KIND OUT.xlsx [--user NAME]: export any Excel list (as that account may see it)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from gongzhi.core.excel import export_workbook, specs


class Command(BaseCommand):
    help = "Export a list to .xlsx; with --user only what that account may see, masked as for them."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(specs()))
        parser.add_argument("out")
        parser.add_argument("--user", help="export only what this account may see")

    def handle(self, kind, out, user=None, **options):
        account = None
        if user:
            account = get_user_model().objects.filter(username=user).first()
            if account is None:
                raise CommandError(f"用户「{user}」不存在")
        Path(out).write_bytes(export_workbook(specs()[kind], account))
        self.stdout.write(f"已导出到 {out}")
