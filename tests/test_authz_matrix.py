"""Authorization matrix: every named URL of the project × every persona → the expected HTTP status (GET).

Each cell is its own test id, e.g. `test_cell[registry:partymember_detail-outsider]`.
`test_every_url_name_is_in_the_matrix` fails when a URL name exists that is neither in MATRIX nor in
EXCLUDED, so every new page must state who may open it. Adding a page is one line in MATRIX:

    "app:name": ("anonymous resident outsider insider colleague admin", <target>),

target: None (no URL parameters), the name of a fixture object below (its pk fills every URL parameter),
or a dict of literal URL kwargs. Objects are in area A (insider: its secretary; colleague: grid leader of
grid A1; outsider: area B's secretary; admin: the sub-district administrator; resident: no registry rights).
"""

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gongzhi.accounts.roles import Role
from gongzhi.demands.services import submit_demand
from gongzhi.matching.models import Project
from gongzhi.registry.models import Liaison, ProfessionalTeam, ServicePlace, VolunteerTeam
from tests import factories

PERSONAS = ("anonymous", "resident", "outsider", "insider", "colleague", "admin")

# Login page → 302 for the anonymous; 401 from the JSON API without credentials.
PAGE = "302 403 200 200 200 200"  # a registry page any registry viewer may open
CREATE = "302 403 200 200 403 200"  # needs the edit capability; the form only offers the user's own scope
IN_A = "302 403 404 200 200 200"  # object in grid A1: visible to the grid leader too
IN_A_EDIT = "302 403 404 200 403 200"
AREA_A = "302 403 404 200 404 200"  # object at area A level: the grid A1 leader does not see it
API_LIST = "401 403 200 200 200 200"
API_IN_A = "401 403 404 200 200 200"
API_AREA_A = "401 403 404 200 404 200"
MATCH = "302 403 200 200 200 200"  # matching.view: every staff role, not residents
MATCH_OFFER = "302 403 200 200 403 200"  # matching.manage or matching.offer
ACCOUNTS = "302 403 403 403 403 200"  # accounts.manage: the sub-district administrator
POST_ONLY = "405 405 405 405 405 405"
API_POST_ONLY = "405 405 405 405 405 405"

MATRIX: dict[str, tuple[str, object]] = {
    # core and accounts
    "home": ("302 200 200 200 200 200", None),
    "healthz": ("200 200 200 200 200 200", None),
    "login": ("200 302 302 302 302 302", None),
    "logout": ("405 405 405 405 405 405", None),  # POST only
    "password_change": ("302 200 200 200 200 200", None),
    "api_tokens": ("302 200 200 200 200 200", None),
    "audit": ("302 403 403 403 403 200", None),
    # account management: the sub-district administrator, for accounts whose roles lie in the sub-district
    "accounts:user_list": (ACCOUNTS, None),
    "accounts:user_create": (ACCOUNTS, None),
    "accounts:user_detail": (ACCOUNTS, "user_a"),
    "accounts:user_edit": (ACCOUNTS, "user_a"),
    "accounts:user_password": (ACCOUNTS, "user_a"),
    "accounts:role_grant": (ACCOUNTS, "user_a"),
    "accounts:user_deactivate": (ACCOUNTS, "user_a"),
    "accounts:user_reactivate": (ACCOUNTS, "retired_a"),
    "accounts:role_remove": (ACCOUNTS, "role_a"),
    # registry pages
    "registry:tree": (PAGE, None),
    "registry:more": (PAGE, None),
    "registry:region_list": (PAGE, None),
    "registry:region_create": (CREATE, None),
    "registry:region_detail": (IN_A, "grid_a1"),
    "registry:region_edit": (IN_A_EDIT, "grid_a1"),
    "registry:region_delete": (IN_A_EDIT, "grid_a1"),
    "registry:building_list": (PAGE, None),
    "registry:building_create": (CREATE, None),
    "registry:building_detail": (IN_A, "building_a1"),
    "registry:building_edit": (IN_A_EDIT, "building_a1"),
    "registry:building_delete": (IN_A_EDIT, "building_a1"),
    "registry:memberunit_list": (PAGE, None),
    "registry:memberunit_create": (CREATE, None),
    "registry:memberunit_detail": (IN_A, "unit_a"),
    "registry:memberunit_edit": (IN_A_EDIT, "unit_a"),
    "registry:memberunit_delete": (IN_A_EDIT, "unit_a"),
    "registry:partyorg_list": (PAGE, None),
    "registry:partyorg_create": (CREATE, None),
    "registry:partyorg_detail": (AREA_A, "org_a"),
    "registry:partyorg_edit": (IN_A_EDIT, "org_a"),
    "registry:partyorg_delete": (IN_A_EDIT, "org_a"),
    "registry:partymember_list": (PAGE, None),
    "registry:partymember_create": (CREATE, None),
    "registry:partymember_detail": (AREA_A, "member_a"),
    "registry:partymember_edit": (IN_A_EDIT, "member_a"),
    "registry:partymember_delete": (IN_A_EDIT, "member_a"),
    "registry:liaison_list": (PAGE, None),
    "registry:liaison_create": (CREATE, None),
    "registry:liaison_detail": (AREA_A, "liaison_a"),
    "registry:liaison_edit": (IN_A_EDIT, "liaison_a"),
    "registry:liaison_delete": (IN_A_EDIT, "liaison_a"),
    "registry:professionalteam_list": (PAGE, None),
    "registry:professionalteam_create": (CREATE, None),
    "registry:professionalteam_detail": (IN_A, "team_a"),  # serves grid A1
    "registry:professionalteam_edit": (IN_A_EDIT, "team_a"),
    "registry:professionalteam_delete": (IN_A_EDIT, "team_a"),
    "registry:volunteerteam_list": (PAGE, None),
    "registry:volunteerteam_create": (CREATE, None),
    "registry:volunteerteam_detail": (AREA_A, "volunteers_a"),
    "registry:volunteerteam_edit": (IN_A_EDIT, "volunteers_a"),
    "registry:volunteerteam_delete": (IN_A_EDIT, "volunteers_a"),
    "registry:serviceplace_list": (PAGE, None),
    "registry:serviceplace_create": (CREATE, None),
    "registry:serviceplace_detail": (AREA_A, "place_a"),
    "registry:serviceplace_edit": (IN_A_EDIT, "place_a"),
    "registry:serviceplace_delete": (IN_A_EDIT, "place_a"),
    # Excel (core): the import page for whoever may import some list; a list's template and export by its spec
    "excel:import": (MATCH_OFFER, None),  # the matching lists' importers; the registry's need registry.import
    "excel:job": ("302 404 404 404 404 404", {"pk": 999999}),  # only the job's own user
    "excel:job_errors": ("302 404 404 404 404 404", {"pk": 999999}),
    "excel:template": ("302 403 403 403 403 200", {"kind": "member_units"}),
    "excel:export": (PAGE, {"kind": "member_units"}),
    # demands: the resident's public H5 pages (no account), then the staff pages
    "demands:submit": ("200 200 200 200 200 200", None),
    "demands:submitted": ("302 302 302 302 302 302", None),  # only right after a submission
    "demands:category_children": ("200 200 200 200 200 200", None),
    "demands:track": ("200 200 200 200 200 200", None),
    "demands:track_status": ("302 302 302 302 302 302", {"code": "GZ260101ABCDEF"}),  # code + phone proven first
    "demands:queue": ("302 403 200 200 200 200", None),
    "demands:bulk_assign": ("405 405 405 405 405 405", None),  # POST only
    "demands:detail": ("302 404 404 200 200 200", "demand_a1"),
    "demands:act": ("405 405 405 405 405 405", {"pk": 999999, "action": "claim"}),
    "demands:claim_board": ("302 403 200 200 200 200", None),
    "demands:overdue": ("302 403 200 200 200 200", None),
    "demands:agenda": ("302 403 200 200 200 200", None),
    "demands:extensions": ("302 403 403 403 403 200", None),
    "demands:decide_extension": ("405 405 405 405 405 405", {"pk": 999999}),
    "demands:mine": ("302 200 200 200 200 200", None),  # each user's own demands
    "demands:inbox": ("302 200 200 200 200 200", None),
    "demands:inbox_read": ("405 405 405 405 405 405", None),
    "triage:queue": ("302 403 200 200 200 200", None),
    "triage:decide": ("302 405 405 405 405 405", {"pk": 999999}),  # POST only
    "triage:demand_duplicates": ("302 404 404 200 200 200", "demand_a1"),
    "triage:merge_duplicate": ("302 405 405 405 405 405", {"pk": 999999, "into": 999998}),  # POST only
    "triage:hot_issues": ("302 403 200 200 200 200", None),
    "triage:top_concerns": ("302 403 200 200 200 200", None),
    "triage:plotly_js": ("200 200 200 200 200 200", None),  # a public static file
    # registry JSON API (same path for list+create and detail+update: GET is what is checked)
    "api:region_list": (API_LIST, None),
    "api:region_detail": (API_IN_A, "grid_a1"),
    "api:building_list": (API_LIST, None),
    "api:building_detail": (API_IN_A, "building_a1"),
    "api:memberunit_list": (API_LIST, None),
    "api:memberunit_create": (API_LIST, None),
    "api:memberunit_detail": (API_IN_A, "unit_a"),
    "api:memberunit_update": (API_IN_A, "unit_a"),
    "api:partyorg_list": (API_LIST, None),
    "api:partyorg_detail": (API_AREA_A, "org_a"),
    "api:partymember_list": (API_LIST, None),
    "api:partymember_create": (API_LIST, None),
    "api:partymember_detail": (API_AREA_A, "member_a"),
    "api:partymember_update": (API_AREA_A, "member_a"),
    # demands JSON API (GET on a POST-only operation is 405 for everyone; missing ids answer 404)
    "api:demand_submit": (API_LIST, None),  # same path as the list
    "api:demand_list": (API_LIST, None),
    "api:demand_overdue": (API_LIST, None),
    "api:demand_agenda": (API_LIST, None),
    "api:demand_claim_board": ("401 200 200 200 200 200", None),
    "api:demand_inbox": ("401 200 200 200 200 200", None),
    "api:demand_inbox_read": ("405 405 405 405 405 405", None),
    "api:demand_extensions": ("401 403 403 403 403 200", None),
    "api:demand_extension_decide": ("405 405 405 405 405 405", {"extension_id": 999999}),
    "api:demand_detail": ("401 404 404 200 200 200", "demand_a1"),
    "api:demand_route": ("405 405 405 405 405 405", {"demand_id": 999999}),
    "api:demand_assign": ("405 405 405 405 405 405", {"demand_id": 999999}),
    "api:demand_claim": ("405 405 405 405 405 405", {"demand_id": 999999}),
    "api:demand_start": ("405 405 405 405 405 405", {"demand_id": 999999}),
    "api:demand_resolve": ("405 405 405 405 405 405", {"demand_id": 999999}),
    "api:demand_return": ("405 405 405 405 405 405", {"demand_id": 999999}),
    "api:demand_reject": ("405 405 405 405 405 405", {"demand_id": 999999}),
    "api:demand_escalate": ("405 405 405 405 405 405", {"demand_id": 999999}),
    "api:demand_merge": ("405 405 405 405 405 405", {"demand_id": 999999}),
    "api:demand_close": ("405 405 405 405 405 405", {"demand_id": 999999}),
    "api:demand_photo": ("405 405 405 405 405 405", {"demand_id": 999999}),
    "api:demand_extension_request": ("405 405 405 405 405 405", {"demand_id": 999999}),
    "api:demand_track": ("404 404 404 404 404 404", {"code": "GZ000000AAAAAA"}),  # public, needs last4
    "api:demand_review": ("405 405 405 405 405 405", {"code": "GZ000000AAAAAA"}),
    "api:demand_support": ("405 405 405 405 405 405", {"code": "GZ000000AAAAAA"}),
    "api:demand_public_photo": ("405 405 405 405 405 405", {"code": "GZ000000AAAAAA"}),
    # Open311 GeoReport v2 (public reads; POST requests.json needs an api_key)
    "open311:services": ("200 200 200 200 200 200", {"fmt": "json"}),
    "open311:service_definition": ("200 200 200 200 200 200", {"fmt": "xml", "code": "street_lights"}),
    "open311:requests": ("200 200 200 200 200 200", {"fmt": "json"}),
    "open311:request": ("404 404 404 404 404 404", {"fmt": "json", "request_id": "GZ000000AAAAAA"}),
    "open311:token": ("404 404 404 404 404 404", {"fmt": "xml", "token": "no-such-token"}),
    # two-way matching (双向认领)
    "matching:resources": (MATCH, None),
    "matching:resource_create": (MATCH_OFFER, None),
    "matching:resource_detail": (IN_A, "resource_a"),
    "matching:resource_edit": (AREA_A, "resource_a"),
    "matching:resource_claim": (POST_ONLY, "resource_a"),
    "matching:resource_transition": (POST_ONLY, "resource_a"),
    "matching:needs": (MATCH, None),
    "matching:need_create": (MATCH_OFFER, None),
    "matching:need_detail": (IN_A, "need_a"),
    "matching:need_edit": (AREA_A, "need_a"),
    "matching:need_claim": (POST_ONLY, "need_a"),
    "matching:need_transition": (POST_ONLY, "need_a"),
    "matching:suggestions": (MATCH, None),
    "matching:campaigns": (MATCH, None),
    "matching:campaign_create": ("302 403 403 403 403 200", None),  # sub-district staff only
    "matching:campaign_edit": ("302 403 403 403 403 200", "campaign"),  # sub-district staff only
    "matching:campaign_advance": (POST_ONLY, "campaign"),
    "matching:global_match": (POST_ONLY, "campaign"),
    "matching:projects": (MATCH, None),
    "matching:project_detail": (IN_A, "project_a"),
    "matching:project_transition": (POST_ONLY, "project_a"),
    "matching:project_plan": (POST_ONLY, "project_a"),
    "matching:milestone_add": (POST_ONLY, "project_a"),
    "matching:milestone_toggle": (POST_ONLY, "project_a"),
    "matching:attachment_add": (POST_ONLY, "project_a"),
    "matching:my_unit": ("302 403 404 404 404 404", None),  # only unit liaisons have a unit of their own
    "matching:unit": (IN_A, "unit_a"),
    "matching:results": (MATCH, None),
    "matching:results_export": (MATCH, None),
    "api:matching_resource_list": (API_LIST, None),
    "api:matching_resource_detail": (API_IN_A, "resource_a"),
    "api:matching_need_list": (API_LIST, None),
    "api:matching_need_detail": (API_IN_A, "need_a"),
    "api:matching_need_suggestions": (API_IN_A, "need_a"),
    "api:matching_project_list": (API_LIST, None),
    "api:matching_project_detail": (API_IN_A, "project_a"),
    "api:matching_claim_need": (API_POST_ONLY, None),
    "api:matching_claim_resource": (API_POST_ONLY, None),
    "api:matching_project_confirm": (API_POST_ONLY, "project_a"),
    "api:matching_project_transition": (API_POST_ONLY, "project_a"),
}

# URL names not owned by the project's pages, with why they are left out.
EXCLUDED_PREFIXES = (
    "admin:",  # Django admin: staff only, guarded by the admin site itself
)
EXCLUDED = {
    "set_language",  # Django's language switch (POST)
    "media",  # uploaded files served by django.views.static
    "api:openapi-json",  # django-ninja OpenAPI document
    "api:openapi-view",  # django-ninja docs page
    "api:api-root",  # django-ninja root
}


def url_names(resolver=None, namespace="") -> dict[str, list[str]]:
    """Every named URL of the project (with namespaces) → the names of its URL parameters."""
    found: dict[str, list[str]] = {}
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            for name, params in url_names(p, inner).items():
                found.setdefault(name, list(_params(p)) + params)
        elif isinstance(p, URLPattern) and p.name:
            found.setdefault(f"{namespace}{p.name}", list(_params(p)))
    return found


def _params(p) -> list[str]:
    pattern = p.pattern
    return list(getattr(pattern, "converters", {}) or pattern.regex.groupindex)


def is_excluded(name: str) -> bool:
    return name in EXCLUDED or name.startswith(EXCLUDED_PREFIXES)


def test_every_url_name_is_in_the_matrix():
    missing = sorted(n for n in url_names() if n not in MATRIX and not is_excluded(n))
    assert not missing, f"add these URL names to MATRIX in tests/test_authz_matrix.py: {missing}"


def test_the_matrix_names_only_existing_urls():
    stale = sorted(set(MATRIX) - set(url_names()))
    assert not stale, f"remove these names from MATRIX (no such URL): {stale}"


def make_objects(street) -> dict:
    team = ProfessionalTeam.objects.create(name="城管中队", kind="urban_management", region=street.subdistrict)
    team.grids.add(street.grid_a1)
    user_a = factories.user("gridworker", Role.GRID_LEADER, street.grid_a1)  # a second role, so one is removable
    user_a.role_assignments.create(role=Role.PARTY_MEMBER, region=street.grid_a1)
    return vars(street) | {
        "user_a": user_a,
        "role_a": user_a.role_assignments.get(role=Role.PARTY_MEMBER),
        "retired_a": factories.user("retired", Role.GRID_LEADER, street.grid_a2, is_active=False),
        "liaison_a": Liaison.objects.create(name="梧桐联络员", region=street.area_a),
        "team_a": team,
        "volunteers_a": VolunteerTeam.objects.create(name="梧桐志愿队", region=street.area_a),
        "place_a": ServicePlace.objects.create(code="SP-A", name="梧桐党群服务站", region=street.area_a),
        "demand_a1": submit_demand(title="楼道灯坏了", description="不亮", channel="web", building=street.building_a1,
                                   submitter_phone="13912345678")[0],
    } | _matching_objects(street)


def _matching_objects(street) -> dict:
    from tests.matching.conftest import make_world

    world = make_world(street)
    world.resource.regions.set([street.grid_a1])
    project = Project.objects.create(campaign=world.campaign, need=world.need_a, resource=world.resource,
                                     title="义诊", initiated_by="provider")
    return {"campaign": world.campaign, "resource_a": world.resource, "need_a": world.need_a, "project_a": project}


@pytest.fixture(scope="module")
def observed(django_db_setup, django_db_blocker) -> dict[tuple[str, str], object]:
    """Every cell's actual status, measured once on one data set (rolled back afterwards) to keep it fast."""
    names = url_names()
    results: dict[tuple[str, str], object] = {}
    with django_db_blocker.unblock(), override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], AXES_ENABLED=False,
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    ), transaction.atomic():
        street = factories.street()
        people = factories.personas(street)
        objects = make_objects(street)
        for persona in PERSONAS:
            client = Client()
            if persona != "anonymous":
                client.force_login(getattr(people, persona))
            for name, (_statuses, target) in MATRIX.items():
                if name not in names:
                    continue
                if isinstance(target, dict):
                    kwargs = target
                else:
                    kwargs = {p: objects[target].pk for p in names[name]} if target else {}
                try:
                    with transaction.atomic():  # a savepoint: one failing request cannot spoil the others
                        results[name, persona] = client.get(reverse(name, kwargs=kwargs)).status_code
                except Exception as e:  # a crash is reported in its own cell
                    results[name, persona] = repr(e)
        transaction.set_rollback(True)
    return results


CELLS = [(name, persona) for name in MATRIX for persona in PERSONAS]


# The mark makes pytest-django set up the test database even when only these cells are selected
# (it sets up only the databases that the selected tests ask for).
@pytest.mark.django_db
@pytest.mark.parametrize(("name", "persona"), CELLS, ids=[f"{n}-{p}" for n, p in CELLS])
def test_cell(observed, name, persona):
    statuses, _target = MATRIX[name]
    expected = int(statuses.split()[PERSONAS.index(persona)])
    actual = observed.get((name, persona), "no such URL")
    assert actual == expected, f"{persona} GET {name}: {actual}, expected {expected}"


def test_personas_are_the_factories_personas(people):
    assert {p for p in PERSONAS if p != "anonymous"} == set(vars(people))
