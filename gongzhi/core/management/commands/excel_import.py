"""gongzhi import KIND FILE --user NAME: import an Excel list, all or nothing."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from gongzhi.core.excel import errors_text, import_file, specs


class Command(BaseCommand):
    help = "Import a list from an .xlsx file (nothing is written if any row has an error)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(specs()))
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="the account the import is made as (its scope applies)")

    def handle(self, kind, file, user, **options):
        spec = specs()[kind]
        account = get_user_model().objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"用户「{user}」不存在")
        if not spec.may_import(account):
            raise CommandError(f"用户「{user}」没有导入「{spec.title}」的权限")
        try:
            with open(file, "rb") as fh:
                result = import_file(spec, fh, account)
        except OSError as e:
            raise CommandError(f"无法读取文件：{e}") from None
        if result.errors:
            self.stderr.write(errors_text(result.errors))
            raise CommandError(f"导入失败：共 {len(result.errors)} 个错误，未写入任何数据")
        self.stdout.write(
            f"已导入 {result.total} 行：新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}"
        )
