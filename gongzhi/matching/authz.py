"""Authorization-test fixtures of the two-way matching (see gongzhi.core.authz), written through the matching
services: the matrix's campaign, resource, need and project in grid A1, a resource for the whole sub-district (on
every area's market, so its suggestions reach needs of every area), and in each zone a resource, a need and a
project (with a milestone, an attachment and a log note) carrying the zone's mark; zone x has its own campaign."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from gongzhi.core.authz import ZONES
from gongzhi.core.workflow import SYSTEM
from gongzhi.matching import services
from gongzhi.matching.models import Campaign, Need, Resource
from gongzhi.matching.workflow import ProjectAction


def _campaign(subdistrict, name: str, description: str = "", season: str = "") -> Campaign:
    campaign = services.create_campaign(actor=SYSTEM, name=name, description=description, season=season, year=2026,
                                        subdistrict=subdistrict, starts_on=date(2026, 3, 1), ends_on=date(2026, 12, 31))
    return services.advance_campaign(campaign, actor=SYSTEM)  # the claim window opens


def _resource(campaign, unit, regions, code: str, title: str, description: str, contact: str) -> Resource:
    return services.create_resource(
        actor=SYSTEM, code=code, campaign=campaign, title=title, description=description, category="medical",
        provider_unit=unit, capacity=10, unit="sessions", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31),
        contact_name=contact, contact_phone="13912345678", regions=regions)


def _need(campaign, place, code: str, title: str, description: str) -> Need:
    return services.create_need(
        actor=SYSTEM, code=code, campaign=campaign, title=title, description=description, category="health",
        place=place, beneficiaries=40, quantity=4, unit="sessions", starts_on=date(2026, 5, 1),
        ends_on=date(2026, 6, 30), urgency=4)


def build(world) -> dict:
    campaign = _campaign(world["subdistrict"], "2026双向认领")
    resource = _resource(campaign, world["unit_a"], [world["grid_a1"]], "R-1", "家庭医生义诊", "社区医院医生上门义诊",
                         "王医生")
    need = _need(campaign, world["grid_a1"], "N-A", "老人健康义诊", "梧桐一网格老人健康义诊")
    made = {
        "campaign": campaign, "resource_a": resource, "need_a": need,
        "project_a": services.claim_need(need, actor=SYSTEM, resource=resource, amount=1),
        "resource_all": _resource(campaign, world["unit_a"], [world["subdistrict"]], "R-ALL", "健康义诊进社区",
                                  "老人健康义诊，全街道", "李医生"),
    }
    made["campaign@x"] = _campaign(world.subdistrict("x"), world.mark("x", "外街道认领"), world.mark("x", "说明"),
                                   world.mark("x", "春")[:20])
    for zone in ZONES:
        made.update(_zone(world, zone, made["campaign@x"] if zone == "x" else campaign))
    return made


def _zone(world, zone: str, campaign: Campaign) -> dict:
    def mark(label):
        return world.mark(zone, label)

    grid = world.grid(zone)
    resource = _resource(campaign, world[f"unit_a@{zone}"], [grid], world.code(zone, "R"), mark("义诊"),
                         mark("老人健康义诊"), mark("联系人")[:40])
    need = _need(campaign, grid, world.code(zone, "N"), mark("老人健康义诊"), mark("老人健康义诊"))
    # the provider claims the grid's need, the community agrees and files a milestone and an attachment (the
    # zone's grid leader reads matching but manages none of it, so the system stands in for both sides)
    project = services.claim_need(need, actor=SYSTEM, resource=resource, amount=1, plan=mark("计划"),
                                  participants=mark("参与人"))
    services.transition_project(project, ProjectAction.AGREE, actor=SYSTEM, note=mark("确认"))
    project = services.transition_project(project, ProjectAction.START, actor=SYSTEM)
    services.add_milestones(project, actor=SYSTEM, milestones=[{"title": mark("节点")}])
    services.add_attachment(project, actor=SYSTEM, upload=SimpleUploadedFile(
        f"{mark('附件')}.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"))
    return {f"resource_a@{zone}": resource, f"need_a@{zone}": need, f"project_a@{zone}": project}
