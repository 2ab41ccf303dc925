"""Authorization-test fixtures of accounts (see gongzhi.core.authz): a grid leader in each zone, whose names
carry the zone's mark (they show wherever a handler, claimant or author is named)."""

from gongzhi.accounts.models import ApiToken, RoleAssignment, User
from gongzhi.accounts.roles import Role
from gongzhi.core.authz import ZONES


def build(world) -> dict:
    made = {}
    for zone in ZONES:
        user = User.objects.create_user(
            username=world.code(zone, "staff"), display_name=world.mark(zone, "网格长"),
            first_name=world.mark(zone, "名", private=True), last_name=world.mark(zone, "姓", private=True),
            email=f"{world.code(zone, 'staff')}@example.org")
        RoleAssignment.objects.create(user=user, role=Role.GRID_LEADER, region=world.grid(zone))
        ApiToken.objects.create(user=user, name=world.mark(zone, "令牌"), key_hash=world.code(zone, "token"),
                                prefix=zone)
        made[f"staff@{zone}"] = user
    return made
