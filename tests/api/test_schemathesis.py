"""Issue 11, security 9: schemathesis runs against the live API's /api/v1/openapi.json over real HTTP, with every
check (server errors; status codes, content types, headers and response schemas as declared; schema-valid data
accepted and schema-invalid data rejected; missing required headers; authentication; …) in all its phases, the
stateful one included, authenticated as the sub-district administrator (the widest staff persona). The budget
(`MAX_EXAMPLES` per operation) keeps the run to about three minutes.

The input schemas state the domain's rules (gongzhi.core.apitypes: lengths, non-blank text, formats, ranges,
choices, no unknown fields), so schema-invalid data is refused with a 422 naming the field. Schema-valid data must
be accepted, or refused with schemathesis' default statuses: 401 or 403 (the caller may not), 404 (an id that does
not exist or lies outside the caller's scope), 409 (the object's state does not allow the step, or the step would
change nothing) or 429 (throttled, or a tracking code locked after wrong digits). tests/api/schemathesis.toml
allows 422 besides, naming the field, on these operations only, each for a rule no schema can state:

- the body names other rows, which may not exist, lie outside the caller's scope or be of the wrong kind, or it
  is subject to a rule across fields or rows: submitting a demand (a phone unless a grid patrol records it, the
  member unit of an enterprise demand, what the caller's role may record), routing (a building or a grid),
  assigning (a person or a team), claiming (a team; a party member's promise) and merging a demand (an open
  target); matching's claims (an amount the resource still has) and project steps (a reason to decline, a rating
  to evaluate); deliberation's new topics and their steps, check-ins (an invited household or unit, or a name and
  phone), candidates' vetting (a complete checklist), ballots (an option of this vote, a voter in its scope, its
  voting period) and rules versions (not in force before the version before); the registry's creations and
  changes (estates, households, member units, party members: references, unique codes); funds' review of a
  proposal (an amount per line of its budget) and its household vote (a period closing after it opens and not
  already over, in the years 2000–2999);
- a deadline extension, requested or approved: at most 15 working days from intake in all;
- a photo, staff's or the submitter's: the file must be a JPEG, PNG or WebP image within the limits.

The public intake (POST /demands/) and "me too" take an optional token: their OpenAPI security lists the empty
requirement `{}` beside the bearer token, so no check expects a 401 without one."""

import subprocess
import sys
from pathlib import Path

import pytest
import requests
from django.core.servers.basehttp import WSGIRequestHandler

from gongzhi.accounts import services as account_services
from gongzhi.core.workflow import SYSTEM
from tests import factories
from tests.demands.conftest import submit

pytestmark = pytest.mark.django_db(transaction=True)
MAX_EXAMPLES = 5
# The live server writes a response's headers and body in two packets: with Nagle's algorithm on, the body waits for
# the client's delayed ACK (~40 ms) on every keep-alive request, which was most of the run's time.
WSGIRequestHandler.disable_nagle_algorithm = True
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
CONFIG = Path(__file__).with_name("schemathesis.toml")  # the statuses schema-valid data may get besides 2xx


def test_schemathesis_finds_nothing_against_the_live_api(live_server, tmp_path):
    street = factories.street()
    people = factories.personas(street)
    submit(street)
    _row, key = account_services.issue_token(people.admin, actor=SYSTEM, name="schemathesis")
    schema = tmp_path / "openapi.json"  # fetched here: the first build of the schema can outlast schemathesis' wait
    schema.write_bytes(requests.get(f"{live_server.url}/api/v1/openapi.json", timeout=120).content)
    run = subprocess.run(
        [str(SCHEMATHESIS), "--no-color", "--config-file", str(CONFIG), "run", str(schema), "--url", live_server.url,
         "--checks", "all",
         "--phases", "examples,coverage,fuzzing,stateful", "--max-examples", str(MAX_EXAMPLES), "--seed", "11",
         "--header", f"Authorization: Bearer {key}", "--request-timeout", "20",
         "--generation-database", "none", "--suppress-health-check", "all"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )
    (tmp_path / "schemathesis.txt").write_text(run.stdout + run.stderr)
    failures = run.stdout[run.stdout.find("FAILURES"):] if "FAILURES" in run.stdout else run.stdout[-6000:]
    assert run.returncode == 0, failures[:20000] + run.stderr[-2000:]
