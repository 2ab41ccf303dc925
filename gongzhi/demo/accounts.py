"""Demo accounts: one shared password, marked by an e-mail address in the reserved `.invalid` domain so
`print_demo_accounts` finds every demo account, including those later seed steps add."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from gongzhi.accounts import services
from gongzhi.accounts.models import RoleAssignment, User
from gongzhi.accounts.roles import Role
from gongzhi.core.workflow import SYSTEM

DEMO_PASSWORD = "gongzhi2026"
DEMO_EMAIL_DOMAIN = "demo.gongzhi.invalid"

# Chinese labels for the printed table (the UI labels go through gettext).
ROLE_LABELS_ZH = {
    Role.SYSTEM_ADMIN: "系统管理员",
    Role.DISTRICT_VIEWER: "区级查看",
    Role.DISTRICT_DEPARTMENT: "区级职能部门",
    Role.SUBDISTRICT_ADMIN: "街道管理员",
    Role.AREA_SECRETARY: "居民区书记/社工",
    Role.GRID_LEADER: "网格长",
    Role.PARTY_MEMBER: "党员",
    Role.UNIT_LIAISON: "共建单位联络人",
    Role.BUILDING_LIAISON: "楼宇联络员",
    Role.RESIDENT: "居民",
}
ROLE_ORDER = list(ROLE_LABELS_ZH)


def create_demo_user(ctx, username: str, display_name: str, role: str | None = None, region=None, unit=None,
                     **extra) -> User:
    """Create a demo account (password DEMO_PASSWORD) holding `role` anchored at `region` or `unit`."""
    if "password_hash" not in ctx.extra:
        # Hash once: the demo password is the same for every account and hashing is deliberately slow.
        ctx.extra["password_hash"] = make_password(DEMO_PASSWORD)
    user = services.import_user(username, actor=SYSTEM, password_hash=ctx.extra["password_hash"], role=role,
                                region=region, member_unit=unit, display_name=display_name,
                                email=f"{username}@{DEMO_EMAIL_DOMAIN}", **extra)
    ctx.users[username] = user
    return user


def demo_account_rows() -> list[tuple[str, str, str, str, str]]:
    """(role label, username, password, scope name, display name) for every role assignment of a demo account."""
    rows = []
    assignments = (
        RoleAssignment.objects.filter(user__email__endswith=f"@{DEMO_EMAIL_DOMAIN}", user__is_active=True)
        .select_related("user", "region", "member_unit")
    )
    for a in assignments:
        scope = a.region.name if a.region_id else a.member_unit.name if a.member_unit_id else "全部 / everything"
        order = ROLE_ORDER.index(a.role) if a.role in ROLE_ORDER else len(ROLE_ORDER)
        label = ROLE_LABELS_ZH.get(a.role) or str(Role(a.role).label if a.role in Role.values else a.role)
        rows.append((order, a.user_id, label, a.user.username, DEMO_PASSWORD, scope, a.user.display_name))
    rows.sort()
    return [r[2:] for r in rows]
