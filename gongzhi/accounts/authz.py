"""Authorization-test fixtures of accounts (see gongzhi.core.authz): the accounts the matrix's management pages
name (a grid leader of grid A1 with a second, removable role, and a deactivated account), and their counterparts
in each zone, whose names carry the zone's mark (they show wherever a handler, claimant or author is named)."""

from gongzhi.accounts.roles import Role
from gongzhi.accounts.services import import_role, import_user, issue_token
from gongzhi.core.authz import ZONES
from gongzhi.core.workflow import SYSTEM


def _accounts(grid, retired_grid, username: str, **names) -> dict:
    user = import_user(username, actor=SYSTEM, role=Role.GRID_LEADER, region=grid, **names)
    role = import_role(user, actor=SYSTEM, role=Role.PARTY_MEMBER, region=grid)
    retired = import_user(f"{username}-retired", actor=SYSTEM, is_active=False, role=Role.GRID_LEADER,
                          region=retired_grid, **names)
    return {"user_a": user, "role_a": role, "retired_a": retired}


def build(world) -> dict:
    made = _accounts(world["grid_a1"], world["grid_a2"], "gridworker")
    for zone in ZONES:
        names = {"display_name": world.mark(zone, "网格长"), "first_name": world.mark(zone, "名", private=True),
                 "last_name": world.mark(zone, "姓", private=True),
                 "email": f"{world.code(zone, 'staff')}@example.org"}
        found = _accounts(world.grid(zone), world.grid(zone), world.code(zone, "staff"), **names)
        issue_token(found["user_a"], actor=SYSTEM, name=world.mark(zone, "令牌"), key=world.code(zone, "token"))
        made |= {f"{name}@{zone}": obj for name, obj in found.items()}
    return made
