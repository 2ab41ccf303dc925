"""Roles and what each may do. A user holds role assignments; each assignment has a scope."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SUBDISTRICT_ADMIN = "subdistrict_admin", _("Sub-district administrator")
    AREA_SECRETARY = "area_secretary", _("Residential-area secretary / social worker")
    GRID_LEADER = "grid_leader", _("Grid leader")
    PARTY_MEMBER = "party_member", _("Party member")
    UNIT_LIAISON = "unit_liaison", _("Member-unit liaison")
    BUILDING_LIAISON = "building_liaison", _("Building liaison")
    RESIDENT = "resident", _("Resident")
    DISTRICT_VIEWER = "district_viewer", _("District viewer")
    DISTRICT_DEPARTMENT = "district_department", _("District department staff")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class Capability:
    """Names of what a role may do; checked through `gongzhi.accounts.scope`."""

    VIEW_REGISTRY = "registry.view"
    EDIT_REGISTRY = "registry.edit"
    IMPORT_REGISTRY = "registry.import"
    VIEW_AUDIT = "audit.view"
    VIEW_PERSONAL_DATA = "personal.view"  # unmasked phones / ID numbers
    MANAGE_ACCOUNTS = "accounts.manage"
    VIEW_DEMANDS = "demands.view"  # see demands in scope (queues, detail, agenda)
    HANDLE_DEMANDS = "demands.handle"  # claim, work on, resolve, return, escalate demands in scope
    ASSIGN_DEMANDS = "demands.assign"  # route, assign, merge, reject, archive demands in scope
    CLAIM_DEMANDS = "demands.claim"  # a party member claims items of their grid publicly
    APPROVE_DEMANDS = "demands.approve"  # approve deadline extensions
    VIEW_MATCHING = "matching.view"  # resource market, need board, projects and results in scope
    MANAGE_MATCHING = "matching.manage"  # staff: needs, campaigns, global matching, confirm for the community
    OFFER_MATCHING = "matching.offer"  # unit liaisons: offer resources, claim needs, confirm for the provider
    VIEW_DELIBERATION = "deliberation.view"  # topics, meetings, votes, conventions, grid topics in scope
    MANAGE_DELIBERATION = "deliberation.manage"  # staff: accept topics, convene meetings, open votes, grid topics
    CLAIM_MICRO_ITEMS = "deliberation.claim"  # party members and staff publicly claim grid micro-items (亮承诺)
    VIEW_FUNDS = "funds.view"  # funds, ledgers, calls, proposals and their delivery in scope
    MANAGE_FUNDS = "funds.manage"  # area and sub-district staff: calls, proposals, review, selection, delivery
    KEEP_LEDGER = "funds.ledger"  # the sub-district: funds, allocations, donations, charity events, grants
    REFER_DEMANDS = "demands.refer"  # sub-district leaders: refer a demand to a joint meeting (the only way up there)
    VIEW_JOINT = "joint.view"  # joint-meeting platforms, sessions, decisions, agreements, posts, visits in scope
    MANAGE_JOINT = "joint.manage"  # the sub-district: platforms, sessions, agendas, decisions, agreements, posts
    VISIT_UNITS = "joint.visit"  # building liaisons and staff: liaison visits to firms (上门排摸)
    VIEW_SERVICES = "services.view"  # doorstep services in scope: offers, cases, appointments, station load
    ACCEPT_CASES = "services.accept"  # station workers (全岗通): open cases for any item, check in, remote help
    MANAGE_SERVICES = "services.manage"  # the sub-district: catalogue, offers, working plans, booking rules, roster
    BACK_OFFICE = "services.backoffice"  # the sub-district's back office (一网通办): handle forwarded cases
    VIEW_VOLUNTEERING = "volunteering.view"  # volunteers, activities, hours, wishes, pairings and cohorts in scope
    MANAGE_VOLUNTEERING = "volunteering.manage"  # staff: volunteers, wishes' approval, pairings, cohorts, corrections
    ORGANISE_ACTIVITIES = "volunteering.organise"  # organisers: activities, check-in and check-out (credits hours)
    CLAIM_WISHES = "volunteering.claim"  # party members and unit liaisons claim micro-wishes with a promise
    VIEW_ORGLIFE = "orglife.view"  # meetings, compliance, members' records, coverage and award rounds in scope
    RECORD_ORGLIFE = "orglife.record"  # record meetings with attendance, studies, 四先, appraisals, mobile members
    MANAGE_ORGLIFE = "orglife.manage"  # the sub-district: requirements, coverage, award schemes, rounds and panels
    ASSESS_AWARDS = "orglife.assess"  # an organization's self-assessment with evidence in an award round


C = Capability
_MATCHING_STAFF = {C.VIEW_MATCHING, C.MANAGE_MATCHING}
_DEMANDS_ALL = {C.VIEW_DEMANDS, C.HANDLE_DEMANDS, C.ASSIGN_DEMANDS, C.APPROVE_DEMANDS}
_DELIBERATION_STAFF = {C.VIEW_DELIBERATION, C.MANAGE_DELIBERATION, C.CLAIM_MICRO_ITEMS}
_FUNDS_STAFF = {C.VIEW_FUNDS, C.MANAGE_FUNDS}
_JOINT_STAFF = {C.VIEW_JOINT, C.MANAGE_JOINT, C.VISIT_UNITS}
_SERVICES_ALL = {C.VIEW_SERVICES, C.ACCEPT_CASES, C.MANAGE_SERVICES, C.BACK_OFFICE}
_VOLUNTEERING_STAFF = {C.VIEW_VOLUNTEERING, C.MANAGE_VOLUNTEERING, C.ORGANISE_ACTIVITIES}
_ORGLIFE_ALL = {C.VIEW_ORGLIFE, C.RECORD_ORGLIFE, C.MANAGE_ORGLIFE, C.ASSESS_AWARDS}
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.SYSTEM_ADMIN: frozenset(
        {C.VIEW_REGISTRY, C.EDIT_REGISTRY, C.IMPORT_REGISTRY, C.VIEW_AUDIT, C.VIEW_PERSONAL_DATA, C.MANAGE_ACCOUNTS}
        | _DEMANDS_ALL | _MATCHING_STAFF | {C.OFFER_MATCHING} | _DELIBERATION_STAFF | _FUNDS_STAFF | {C.KEEP_LEDGER}
        | {C.REFER_DEMANDS} | _JOINT_STAFF | _SERVICES_ALL | _VOLUNTEERING_STAFF | _ORGLIFE_ALL
    ),
    Role.SUBDISTRICT_ADMIN: frozenset(
        {C.VIEW_REGISTRY, C.EDIT_REGISTRY, C.IMPORT_REGISTRY, C.VIEW_AUDIT, C.VIEW_PERSONAL_DATA, C.MANAGE_ACCOUNTS}
        | _DEMANDS_ALL | _MATCHING_STAFF | _DELIBERATION_STAFF | _FUNDS_STAFF | {C.KEEP_LEDGER}
        | {C.REFER_DEMANDS} | _JOINT_STAFF | _SERVICES_ALL | _VOLUNTEERING_STAFF | _ORGLIFE_ALL
    ),
    Role.AREA_SECRETARY: frozenset(
        {C.VIEW_REGISTRY, C.EDIT_REGISTRY, C.VIEW_PERSONAL_DATA, C.VIEW_DEMANDS, C.HANDLE_DEMANDS, C.ASSIGN_DEMANDS}
        | _MATCHING_STAFF | _DELIBERATION_STAFF | _FUNDS_STAFF | {C.VIEW_JOINT} | {C.VIEW_SERVICES, C.ACCEPT_CASES}
        | _VOLUNTEERING_STAFF | {C.VIEW_ORGLIFE, C.RECORD_ORGLIFE, C.ASSESS_AWARDS}
    ),
    Role.GRID_LEADER: frozenset({C.VIEW_REGISTRY, C.VIEW_DEMANDS, C.HANDLE_DEMANDS, C.ASSIGN_DEMANDS, C.VIEW_MATCHING,
                                 C.VIEW_DELIBERATION, C.CLAIM_MICRO_ITEMS}),
    Role.DISTRICT_VIEWER: frozenset({C.VIEW_REGISTRY, C.VIEW_AUDIT, C.VIEW_DEMANDS, C.VIEW_MATCHING,
                                     C.VIEW_DELIBERATION, C.VIEW_FUNDS, C.VIEW_JOINT, C.VIEW_SERVICES,
                                     C.VIEW_VOLUNTEERING, C.VIEW_ORGLIFE}),
    # staff of a district functional department (区级职能部门), anchored at the department's member unit: they handle
    # the demands a joint meeting's decision hands to their department and see the decisions it owns
    Role.DISTRICT_DEPARTMENT: frozenset({C.VIEW_DEMANDS, C.HANDLE_DEMANDS, C.VIEW_JOINT}),
    Role.BUILDING_LIAISON: frozenset({C.VIEW_REGISTRY, C.VIEW_DEMANDS, C.HANDLE_DEMANDS, C.VIEW_MATCHING,
                                      C.VIEW_JOINT, C.VISIT_UNITS}),
    # a unit's liaison organises the unit's own activities (scoped by the unit) and claims wishes for the unit
    Role.UNIT_LIAISON: frozenset({C.VIEW_REGISTRY, C.VIEW_DEMANDS, C.VIEW_MATCHING, C.OFFER_MATCHING,
                                  C.ORGANISE_ACTIVITIES, C.CLAIM_WISHES, C.ASSESS_AWARDS}),
    Role.PARTY_MEMBER: frozenset({C.CLAIM_DEMANDS, C.VIEW_DELIBERATION, C.CLAIM_MICRO_ITEMS, C.CLAIM_WISHES}),
    Role.RESIDENT: frozenset(),
}

# Which kind of region node a role's scope is normally anchored at (used by forms and the demo).
ROLE_SCOPE_KIND = {
    Role.SYSTEM_ADMIN: None,
    Role.DISTRICT_VIEWER: "district",
    Role.SUBDISTRICT_ADMIN: "subdistrict",
    Role.BUILDING_LIAISON: "subdistrict",
    Role.AREA_SECRETARY: "residential_area",
    Role.GRID_LEADER: "grid",
    Role.PARTY_MEMBER: "grid",
    Role.RESIDENT: "grid",
    Role.UNIT_LIAISON: None,
    Role.DISTRICT_DEPARTMENT: None,
}

# How high a role stands. Whoever manages accounts grants only roles no higher than their own highest managing role
# (and only inside their scope): a sub-district administrator never grants a district or system role.
ROLE_RANK = {
    Role.SYSTEM_ADMIN: 100,
    Role.DISTRICT_VIEWER: 90,
    Role.DISTRICT_DEPARTMENT: 85,
    Role.SUBDISTRICT_ADMIN: 80,
    Role.BUILDING_LIAISON: 60,
    Role.AREA_SECRETARY: 60,
    Role.GRID_LEADER: 40,
    Role.UNIT_LIAISON: 40,
    Role.PARTY_MEMBER: 20,
    Role.RESIDENT: 10,
}
