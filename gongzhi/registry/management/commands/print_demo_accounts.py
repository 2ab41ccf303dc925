"""Print the demo accounts as a table: role, username, password, scope."""

import os
import unicodedata

from django.core.management.base import BaseCommand


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(_width(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    rule = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    line = lambda r: "| " + " | ".join(_pad(str(c), w) for c, w in zip(r, widths, strict=True)) + " |"  # noqa: E731
    return "\n".join([rule, line(header), rule, *map(line, rows), rule])


class Command(BaseCommand):
    help = "Print the demo accounts (one per role) with their shared password and scope."

    def handle(self, *args, **options):
        from gongzhi.demo.accounts import demo_account_rows

        rows = demo_account_rows()
        if not rows:
            self.stdout.write("没有演示账号 / no demo accounts: run `gongzhi demo` on an empty database.")
            return
        port = os.environ.get("PORT", "8000")
        self.stdout.write("演示账号 / demo accounts")
        self.stdout.write(format_table(("角色 role", "用户名 username", "密码 password", "范围 scope", "姓名 name"), rows))
        self.stdout.write(f"打开 / open http://127.0.0.1:{port}/  并用上面任一账号登录 / and sign in with any account above")
