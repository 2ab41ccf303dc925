"""Demo organization life: the coverage part. The registry's two-new units are what they are: the counted ones
(the rule in gongzhi.orglife.selectors.coverage) mostly have their own organization (founded on dates spread over
the years); a counted firm without one that sits in an office tower with a 联合党委 is taken in by it, from a date
over the last three years (the registry puts its six committees in the towers with most firms that have their own
organization, so few firms without one sit there: a firm of another tower of the same residential area is taken
in by one of the area's committees, less often); the rest stay uncovered, and always the firm without one that
joined the street last (its organization is being set up). A 党建指导员 is assigned to most counted units over the last
years (a few terms ended, some of those followed by a successor), so both shares rise over the trend and today's
figures are the street's real ones, not 100 % by decree. The figures land in ctx.extra["coverage"]."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from gongzhi.core.workflow import SYSTEM
from gongzhi.orglife.models import InstructorAssignment, JointCoverage
from gongzhi.orglife.selectors.coverage import annotate_coverage, counted_units, coverage_of
from gongzhi.orglife.services.coverage import bulk_record
from gongzhi.registry.models import PartyOrg, PartyOrgKind, RegionKind

JOINT_TAKES_IN = 0.85  # a firm without its own organization in a tower with a 联合党委 is taken in by it
NEARBY_TAKES_IN = 0.6  # … by the 联合党委 of another tower of its residential area, when its own has none
INSTRUCTED = 0.88  # a counted unit gets an instructor
ENDED = 0.15  # an instructor's term ended
SUCCEEDED = 0.5  # an ended term followed by a successor


def seed(ctx) -> None:
    rng, names, today = ctx.rng, ctx.names, timezone.localdate()
    start = today - timedelta(days=3 * 365)
    units = list(annotate_coverage(counted_units(ctx.subdistrict), today).select_related("region").order_by("code"))
    joint_by_tower = {o.code.removesuffix("-LHDW"): o for o in PartyOrg.objects.select_related("region").filter(
        kind=PartyOrgKind.JOINT_COMMITTEE, region__path__startswith=ctx.subdistrict.path)}
    tower_code = {t.pk: t.code for t in ctx.towers}
    committee = next((o for o in ctx.orgs.values() if o.kind == PartyOrgKind.WORKING_COMMITTEE), None)
    working = [m for m in ctx.members if committee is not None and m.organization_id == committee.pk]

    def area_of(region) -> int:  # a tower stands in a grid: its residential area is the grid's parent
        return region.parent_id if region.kind == RegionKind.GRID else region.pk

    by_area: dict[int, list] = {}
    for o in sorted(joint_by_tower.values(), key=lambda o: o.code):
        by_area.setdefault(area_of(o.region), []).append(o)
    joints = []
    # the firm without an organization that joined the street last is still being organised (组建中): uncovered
    newest = max((u for u in units if not u.own_org), key=lambda u: (u.joined_on or start, u.code), default=None)
    for u in units:
        if u.own_org or u is newest:
            continue
        org = joint_by_tower.get(tower_code.get(u.building_id))
        if org is None:  # no committee in its own tower: one of its area's towers takes it in, less often
            nearby = by_area.get(area_of(u.region)) or []
            org = rng.choice(nearby) if nearby and rng.random() < NEARBY_TAKES_IN else None
        if org is None or rng.random() >= JOINT_TAKES_IN:
            continue
        earliest = max(start, org.founded_on or start)
        if earliest >= today - timedelta(days=30):
            continue
        joints.append(JointCoverage(unit=u, joint_org=org, since=names.day_between(earliest, today - timedelta(days=30))))

    assignments = []

    def assign(u, since, until=None):
        member = rng.choice(working) if working and rng.random() < 0.3 else None
        assignments.append(InstructorAssignment(
            unit=u, instructor=member.name if member else names.name(), instructor_member=member,
            phone=names.mobile(), assigned_on=since, ended_on=until))

    for u in units:
        if rng.random() >= INSTRUCTED:
            continue
        since = names.day_between(start - timedelta(days=365), today - timedelta(days=20))
        if rng.random() < ENDED and (today - since).days > 200:
            until = names.day_between(since + timedelta(days=90), today - timedelta(days=60))
            assign(u, since, until)
            if rng.random() < SUCCEEDED:
                assign(u, names.day_between(until + timedelta(days=1), today - timedelta(days=10)))
        else:
            assign(u, since)
    bulk_record(joints, assignments, actor=SYSTEM)
    c = coverage_of(ctx.subdistrict, today)
    ctx.extra["coverage"] = {"counted": c.counted, "organized": c.organized, "instructed": c.instructed,
                             "joint": len(joints), "assignments": len(assignments)}
