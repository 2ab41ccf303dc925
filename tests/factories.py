"""Factories that build registry data and users; personas make scope tests routine."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from gongzhi.accounts.models import RoleAssignment, User
from gongzhi.accounts.roles import Role
from gongzhi.registry.models import (
    Building,
    MemberUnit,
    MemberUnitKind,
    PartyMember,
    PartyOrg,
    PartyOrgKind,
    Region,
    RegionKind,
)

_seq = itertools.count(1)
PASSWORD = "Gongzhi-test-2026"


def seq() -> int:
    return next(_seq)


def region(kind: str, parent: Region | None = None, name: str | None = None, code: str | None = None) -> Region:
    n = seq()
    return Region.objects.create(kind=kind, parent=parent, name=name or f"{kind}-{n}", code=code or f"R{n:05d}")


def building(grid: Region, **kw) -> Building:
    n = seq()
    kw.setdefault("name", f"{n}号楼")
    kw.setdefault("code", f"B{n:05d}")
    return Building.objects.create(region=grid, **kw)


def member_unit(region_: Region, **kw) -> MemberUnit:
    n = seq()
    kw.setdefault("name", f"共建单位{n}")
    kw.setdefault("code", f"U{n:05d}")
    kw.setdefault("kind", MemberUnitKind.ENTERPRISE)
    return MemberUnit.objects.create(region=region_, **kw)


def party_org(region_: Region, kind: str = PartyOrgKind.BRANCH, parent: PartyOrg | None = None, **kw) -> PartyOrg:
    n = seq()
    kw.setdefault("name", f"党组织{n}")
    kw.setdefault("code", f"P{n:05d}")
    return PartyOrg.objects.create(region=region_, kind=kind, parent=parent, **kw)


def party_member(org: PartyOrg, **kw) -> PartyMember:
    n = seq()
    kw.setdefault("name", f"党员{n}")
    kw.setdefault("phone", f"139{n:08d}")
    return PartyMember.objects.create(organization=org, **kw)


def user(username: str | None = None, role: str | None = None, region_: Region | None = None,
         unit: MemberUnit | None = None, **kw) -> User:
    u = User.objects.create_user(username=username or f"user{seq()}", password=PASSWORD, **kw)
    if role:
        RoleAssignment.objects.create(user=u, role=role, region=region_, member_unit=unit)
    return u


@dataclass
class Street:
    """A small sub-district with two residential areas, two grids each, orgs, members and units."""

    district: Region
    subdistrict: Region
    area_a: Region
    area_b: Region
    grid_a1: Region
    grid_a2: Region
    grid_b1: Region
    org_a: PartyOrg
    org_b: PartyOrg
    member_a: PartyMember
    member_b: PartyMember
    unit_a: MemberUnit
    unit_b: MemberUnit
    building_a1: Building
    building_b1: Building


def street() -> Street:
    district = region(RegionKind.DISTRICT, name="示范区")
    sub = region(RegionKind.SUBDISTRICT, district, name="示范街道")
    area_a = region(RegionKind.RESIDENTIAL_AREA, sub, name="梧桐居民区")
    area_b = region(RegionKind.RESIDENTIAL_AREA, sub, name="石库门居民区")
    grid_a1 = region(RegionKind.GRID, area_a, name="梧桐一网格")
    grid_a2 = region(RegionKind.GRID, area_a, name="梧桐二网格")
    grid_b1 = region(RegionKind.GRID, area_b, name="石库门一网格")
    working = party_org(sub, PartyOrgKind.WORKING_COMMITTEE, name="示范街道党工委")
    org_a = party_org(area_a, PartyOrgKind.GENERAL_BRANCH, working, name="梧桐居民区党总支")
    org_b = party_org(area_b, PartyOrgKind.GENERAL_BRANCH, working, name="石库门居民区党总支")
    return Street(
        district=district, subdistrict=sub, area_a=area_a, area_b=area_b,
        grid_a1=grid_a1, grid_a2=grid_a2, grid_b1=grid_b1, org_a=org_a, org_b=org_b,
        member_a=party_member(org_a, name="张梧桐"), member_b=party_member(org_b, name="李石库"),
        unit_a=member_unit(grid_a1, name="梧桐社区医院", kind=MemberUnitKind.HOSPITAL),
        unit_b=member_unit(grid_b1, name="石库门小学", kind=MemberUnitKind.SCHOOL),
        building_a1=building(grid_a1, name="梧桐1号楼"), building_b1=building(grid_b1, name="石库门1号楼"),
    )


@dataclass
class Personas:
    """insider: area A's secretary; colleague: a grid leader in area A; outsider: area B's secretary;
    admin: the sub-district administrator; resident: no registry rights."""

    insider: User
    colleague: User
    outsider: User
    admin: User
    resident: User


def personas(s: Street) -> Personas:
    return Personas(
        insider=user("insider", Role.AREA_SECRETARY, s.area_a, display_name="梧桐书记"),
        colleague=user("colleague", Role.GRID_LEADER, s.grid_a1, display_name="梧桐网格长"),
        outsider=user("outsider", Role.AREA_SECRETARY, s.area_b, display_name="石库门书记"),
        admin=user("streetadmin", Role.SUBDISTRICT_ADMIN, s.subdistrict, display_name="街道管理员"),
        resident=user("resident", Role.RESIDENT, s.grid_a1, display_name="居民"),
    )
