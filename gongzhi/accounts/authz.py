"""Authorization-test fixtures of accounts (see gongzhi.core.authz): the accounts the matrix's management pages
name (a grid leader of grid A1 with a second, removable role, and a deactivated account), and their counterparts
in each zone, whose names carry the zone's mark (they show wherever a handler, claimant or author is named)."""

from gongzhi.accounts.models import ApiToken, RoleAssignment, User
from gongzhi.accounts.roles import Role
from gongzhi.core.authz import ZONES


def _accounts(grid, retired_grid, username: str, **names) -> dict:
    user = User.objects.create_user(username=username, **names)
    RoleAssignment.objects.create(user=user, role=Role.GRID_LEADER, region=grid)
    role = RoleAssignment.objects.create(user=user, role=Role.PARTY_MEMBER, region=grid)
    retired = User.objects.create_user(username=f"{username}-retired", is_active=False, **names)
    RoleAssignment.objects.create(user=retired, role=Role.GRID_LEADER, region=retired_grid)
    return {"user_a": user, "role_a": role, "retired_a": retired}


def build(world) -> dict:
    made = _accounts(world["grid_a1"], world["grid_a2"], "gridworker")
    for zone in ZONES:
        names = {"display_name": world.mark(zone, "网格长"), "first_name": world.mark(zone, "名", private=True),
                 "last_name": world.mark(zone, "姓", private=True),
                 "email": f"{world.code(zone, 'staff')}@example.org"}
        found = _accounts(world.grid(zone), world.grid(zone), world.code(zone, "staff"), **names)
        ApiToken.objects.create(user=found["user_a"], name=world.mark(zone, "令牌"),
                                key_hash=world.code(zone, "token"), prefix=zone)
        made |= {f"{name}@{zone}": obj for name, obj in found.items()}
    return made
