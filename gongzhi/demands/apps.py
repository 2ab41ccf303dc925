from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.authz import ADMIN_ONLY, API_LIST, PAGE, POST_ONLY, PUBLIC
from gongzhi.core.modules import AuthzCase, Card, Manifest, NavEntry, NavGroup

SEL = "gongzhi.demands.selectors"

STAFF = PAGE  # demands.view: every staff role, not residents
NO_DEMAND = {"demand_id": 999999}  # POST-only operations: GET is 405 for everyone
NO_CODE = {"code": "GZ000000AAAAAA"}

AUTHZ = {
    # the resident's public H5 pages (no account)
    "demands:submit": AuthzCase(PUBLIC),
    "demands:submitted": AuthzCase("302 302 302 302 302 302"),  # only right after a submission
    "demands:category_children": AuthzCase(PUBLIC),
    "demands:track": AuthzCase(PUBLIC),
    "demands:track_status": AuthzCase("302 302 302 302 302 302", {"code": "GZ260101ABCDEF"}),  # code + phone first
    "demands:track_resend": AuthzCase(POST_ONLY, NO_CODE),
    "demands:track_recover": AuthzCase("404 404 404 404 404 404", {"token": "GZ000000AAAAAA:bad:sig"}),
    "demands:verify_phone": AuthzCase(PUBLIC),
    "demands:support": AuthzCase(POST_ONLY, NO_CODE),
    "demands:similar": AuthzCase(PUBLIC),
    # staff pages
    "demands:queue": AuthzCase(STAFF),
    "demands:bulk_assign": AuthzCase(POST_ONLY),
    "demands:detail": AuthzCase("302 404 404 200 200 200", "demand_a1"),
    "demands:act": AuthzCase(POST_ONLY, {"pk": 999999, "action": "claim"}),
    "demands:claim_board": AuthzCase(STAFF),
    "demands:overdue": AuthzCase(STAFF),
    "demands:agenda": AuthzCase(STAFF),
    "demands:extensions": AuthzCase(ADMIN_ONLY),
    "demands:decide_extension": AuthzCase(POST_ONLY, {"pk": 999999}),
    "demands:mine": AuthzCase("302 200 200 200 200 200"),  # each user's own demands
    "demands:my_items": AuthzCase("302 200 200 200 200 200"),  # what is handed to or claimed by each user
    "demands:inbox": AuthzCase("302 200 200 200 200 200"),
    "demands:inbox_read": AuthzCase(POST_ONLY),
    # JSON API (missing ids answer 404)
    "api:demand_submit": AuthzCase(API_LIST),  # same path as the list
    "api:demand_list": AuthzCase(API_LIST),
    "api:demand_overdue": AuthzCase(API_LIST),
    "api:demand_agenda": AuthzCase(API_LIST),
    "api:demand_claim_board": AuthzCase("401 200 200 200 200 200"),
    "api:demand_inbox": AuthzCase("401 200 200 200 200 200"),
    "api:demand_inbox_read": AuthzCase(POST_ONLY),
    "api:demand_extensions": AuthzCase("401 403 403 403 403 200"),
    "api:demand_extension_decide": AuthzCase(POST_ONLY, {"extension_id": 999999}),
    "api:demand_detail": AuthzCase("401 404 404 200 200 200", "demand_a1"),
    **{f"api:demand_{verb}": AuthzCase(POST_ONLY, NO_DEMAND) for verb in (
        "route", "assign", "claim", "start", "resolve", "return", "reject", "escalate", "merge", "close", "photo",
        "extension_request")},
    "api:demand_track": AuthzCase("404 404 404 404 404 404", NO_CODE),  # public, needs last4
    "api:demand_review": AuthzCase(POST_ONLY, NO_CODE),
    "api:demand_support": AuthzCase(POST_ONLY, NO_CODE),
    "api:demand_public_photo": AuthzCase(POST_ONLY, NO_CODE),
    "api:demand_track_resend": AuthzCase(POST_ONLY, NO_CODE),
    # Open311 GeoReport v2 (public reads; POST requests.json needs an api_key)
    "open311:services": AuthzCase(PUBLIC, {"fmt": "json"}),
    "open311:service_definition": AuthzCase(PUBLIC, {"fmt": "xml", "code": "street_lights"}),
    "open311:requests": AuthzCase(PUBLIC, {"fmt": "json"}),
    "open311:request": AuthzCase("404 404 404 404 404 404", {"fmt": "json", "request_id": "GZ000000AAAAAA"}),
    "open311:token": AuthzCase("404 404 404 404 404 404", {"fmt": "xml", "token": "no-such-token"}),
    "open311:updates": AuthzCase(PUBLIC, {"fmt": "xml"}),
    "open311:unknown": AuthzCase("404 404 404 404 404 404", {"path": "requests.txt"}),
}


class DemandsConfig(AppConfig):
    name = "gongzhi.demands"
    label = "demands"
    verbose_name = _("Resident demands")
    manifest = Manifest(
        urls=(("demands/", "gongzhi.demands.urls"), ("open311/v2/", "gongzhi.demands.open311_urls")),
        api_routers=(("/demands", "gongzhi.demands.api:router"),),
        nav=NavGroup(_("Demands"), (
            NavEntry(_("Demands"), "demands:queue", C.VIEW_DEMANDS),
            NavEntry(_("Claim board"), "demands:claim_board", C.CLAIM_DEMANDS),
            NavEntry(_("My items"), "demands:my_items", C.CLAIM_DEMANDS),
            NavEntry(_("Overdue"), "demands:overdue", C.VIEW_DEMANDS),
            NavEntry(_("Referred to joint meetings"), "demands:agenda", C.VIEW_DEMANDS),
            NavEntry(_("Extensions"), "demands:extensions", C.APPROVE_DEMANDS),
            NavEntry(_("Inbox"), "demands:inbox", None, badge="gongzhi.demands.selectors:unread_count"),
            NavEntry(_("My demands"), "demands:mine", None),
        ), order=10),
        excel_lists=("gongzhi.demands.excel:DEMANDS",),
        cards=(
            Card("demands.mine", _("My demands"), f"{SEL}:my_demands_card", order=5),
            Card("demands.assigned", _("Assigned to me"), f"{SEL}:assigned_card", order=10),
            Card("demands.claims", _("My claims"), f"{SEL}:my_claims_card", order=11),
            Card("demands.board", _("My grid's claim board"), f"{SEL}:claim_board_card", order=12),
            Card("demands.overdue", _("Overdue in my scope"), f"{SEL}:overdue_card", order=20),
            Card("demands.extensions", _("Extension requests to decide"), f"{SEL}:extensions_card", order=22),
            Card("demands.reopened", _("Reopened after a review"), f"{SEL}:reopened_card", order=24),
            Card("demands.new", _("New today"), f"{SEL}:new_card", order=40),
            Card("demands.performance", _("On time, last 90 days"), f"{SEL}:performance_card", order=60),
        ),
        audited=("demands.Demand", "demands.Category", "demands.DeadlinePolicy", "demands.CalendarDay",
                 "demands.Extension", "demands.Open311Client"),
        workflows=("gongzhi.demands.workflow:FLOW",),
        authz=AUTHZ,
        authz_fixtures="gongzhi.demands.authz:build",
        demo_seeder="gongzhi.demo.demands:seed",
        demo_order=40,
        media=(("demands/", f"{SEL}:photo_for_file"),),
    )

