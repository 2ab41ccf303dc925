"""Reads of the votes part. Staff reads are scoped by the user (`deliberation.view`); the H5 reads are the public
projection residents see without an account (no personal data, no draft, and no count of a vote before it closes).

Results: `results(vote)` is None until the vote is closed, for everyone, administrators included; so are the
receipts (who voted) and the choices. Nothing else here counts ballots.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import timedelta
from functools import reduce
from operator import or_

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from gongzhi.accounts.scope import has_capability, require_capability, scoped
from gongzhi.core import crypto
from gongzhi.core.errors import BadParameter, NotFound
from gongzhi.deliberation.models import (
    Ballot,
    BallotReceipt,
    ConventionSignature,
    ConventionVersion,
    Meeting,
    ResidentConvention,
    Topic,
    TopicCosign,
    Vote,
    VoteKind,
    VoteOption,
    VoteScope,
)
from gongzhi.deliberation.policies.votes import MANAGE, VIEW
from gongzhi.deliberation.workflow import MeetingState, TopicState
from gongzhi.deliberation.workflows_votes import IN_FORCE_STATES, ConventionState, VoteState
from gongzhi.registry.models import Estate, Household

VOTE_RELATED = ("topic", "area", "grid", "estate", "meeting")


# --- Votes ------------------------------------------------------------------------------------------------------

def votes_for(user, capability: str = VIEW):
    return scoped(user, Vote.objects.select_related(*VOTE_RELATED), capability)


def vote(user, pk) -> Vote:
    require_capability(user, VIEW)
    found = votes_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


def _choice(model, name: str, value: str) -> str:
    field = model._meta.get_field(name)
    if value not in {v for v, _label in field.choices}:
        raise BadParameter(name)
    return value


def filter_votes(qs, params):
    """The vote list narrowed as on its page (and its export): ``q`` searches the motion and the topic."""
    if q := (params.get("q") or "").strip():
        qs = qs.filter(Q(title__icontains=q) | Q(topic__title__icontains=q))
    for name in ("state", "scope", "kind"):
        if value := params.get(name):
            qs = qs.filter(**{name: _choice(Vote, name, value)})
    return qs


def option_label(option: VoteOption) -> str:
    """An option as shown: yes / no / abstain in the page's language, an alternative as written."""
    if option.vote.kind == VoteKind.YES_NO:
        from gongzhi.deliberation.services.votes import YES_NO_OPTIONS

        return str(dict(YES_NO_OPTIONS).get(option.key, option.label))
    return option.label


def options(vote: Vote) -> list[tuple[str, str]]:
    return [(o.key, option_label(o)) for o in vote.options.all()]


def _pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


@dataclass(frozen=True)
class Results:
    eligible: int
    cast: int
    participation: float  # % of the eligible who voted
    rows: list  # [(key, label, count, % of the ballots cast)]
    approving: int
    approval: float  # % of the ballots cast approving (yes, or the winning alternative)
    participation_met: bool
    approval_met: bool
    passed: bool
    winner: str

    def as_dict(self) -> dict:
        return {"eligible": self.eligible, "cast": self.cast, "participation": self.participation,
                "tally": {key: n for key, _label, n, _p in self.rows}, "approving": self.approving,
                "approval": self.approval, "participation_met": self.participation_met,
                "approval_met": self.approval_met, "passed": self.passed, "winner": self.winner}


def results(vote: Vote) -> Results | None:
    """The counted result of a closed vote; None before it closes (and for a cancelled vote), whoever asks."""
    if vote.state != VoteState.CLOSED:
        return None
    cast, eligible = vote.ballots_cast or 0, vote.eligible_count or 0
    opts = list(vote.options.all())
    rows = [(o.key, option_label(o), int(vote.tally.get(o.key, 0)), _pct(int(vote.tally.get(o.key, 0)), cast))
            for o in opts]
    if vote.kind == VoteKind.YES_NO:
        approving = int(vote.tally.get("yes", 0))
    else:
        approving = int(vote.tally.get(vote.winner.key, 0)) if vote.winner_id else 0
    return Results(
        eligible=eligible, cast=cast, participation=_pct(cast, eligible), rows=rows, approving=approving,
        approval=_pct(approving, cast),
        participation_met=eligible > 0 and cast * 100 >= vote.participation_threshold * eligible,
        approval_met=cast > 0 and approving * 100 > vote.approval_threshold * cast,
        passed=vote.result == "passed", winner=option_label(vote.winner) if vote.winner_id else "",
    )


def receipts(vote: Vote):
    """Who voted, once the vote is closed (none before): with their choice for an open vote, without for a secret
    one."""
    if vote.state != VoteState.CLOSED:
        return BallotReceipt.objects.none()
    qs = BallotReceipt.objects.filter(vote=vote).select_related("household__building", "recorded_by")
    return qs if vote.is_secret else qs.select_related("ballot__option__vote")


def log(obj):
    return obj.transitions.select_related("actor").order_by("created_at", "id")


def votes_of_topic(user, topic: Topic):
    return votes_for(user).filter(topic=topic)


# --- The workbench card ------------------------------------------------------------------------------------------

CARD_ITEMS = 5
CLOSING_SOON = timedelta(days=3)


def closing_soon(user, now=None):
    now = now or timezone.now()
    return votes_for(user).filter(state=VoteState.OPEN, closes_at__gt=now, closes_at__lte=now + CLOSING_SOON
                                  ).order_by("closes_at", "pk")


def closing_soon_card(user) -> dict | None:
    """Votes of the user's scope that close within three days (staff running deliberation always see the card;
    others only when there is one)."""
    if not has_capability(user, VIEW):
        return None
    qs = closing_soon(user)
    n = qs.count()
    if not n and not has_capability(user, MANAGE):
        return None
    return {
        "count": n, "url": reverse("deliberation:votes_list") + "?state=open", "tone": "urgent" if n else "normal",
        "note": _("Open votes closing within three days."),
        "items": [{"text": v.title, "url": reverse("deliberation:votes_detail", args=[v.pk]),
                   "value": timezone.localtime(v.closes_at).strftime("%m-%d %H:%M")} for v in qs[:CARD_ITEMS]],
    }


# --- Conventions -------------------------------------------------------------------------------------------------

def conventions_for(user, capability: str = VIEW):
    return scoped(user, ResidentConvention.objects.select_related("topic", "area", "estate"), capability)


def convention(user, pk) -> ResidentConvention:
    require_capability(user, VIEW)
    found = conventions_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


def filter_conventions(qs, params):
    if q := (params.get("q") or "").strip():
        qs = qs.filter(Q(title__icontains=q) | Q(topic__title__icontains=q))
    if value := params.get("state"):
        qs = qs.filter(state=_choice(ResidentConvention, "state", value))
    return qs


def signatures_for(user, params=None):
    """Signatures of the conventions the user sees (the Excel list)."""
    qs = scoped(user, ConventionSignature.objects.select_related("convention", "version", "household__building"),
                VIEW)
    params = params or {}
    if (pk := (params.get("convention") or "").strip()):
        if not pk.isdigit():
            raise BadParameter("convention")
        qs = qs.filter(convention_id=int(pk))
    return qs.order_by("convention_id", "signed_at", "pk")


def adopting_votes(convention: ResidentConvention):
    """Closed votes that passed on the convention's latest version: the ones that may adopt it."""
    latest = convention.latest_version()
    if latest is None:
        return Vote.objects.none()
    return Vote.objects.filter(convention_version=latest, state=VoteState.CLOSED, result="passed")


def version(convention: ResidentConvention, number) -> ConventionVersion:
    try:
        return convention.versions.get(number=int(number))
    except (ConventionVersion.DoesNotExist, TypeError, ValueError):
        raise BadParameter("version")


def _chars(old: str, new: str) -> tuple[str, str]:
    """One changed line, character by character: deletions in <del>, insertions in <ins> (escaped)."""
    a, b = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        left, right = escape(old[i1:i2]), escape(new[j1:j2])
        if tag == "equal":
            a.append(left)
            b.append(right)
            continue
        if left:
            a.append(f"<del>{left}</del>")
        if right:
            b.append(f"<ins>{right}</ins>")
    return "".join(a), "".join(b)


def version_diff(old: str, new: str) -> list[dict]:
    """The differences between two versions' texts, line by line, for a side-by-side table: each row has ``kind``
    (same, changed, removed, added) and the escaped HTML of the ``old`` and ``new`` line (changed lines marked
    character by character, as Chinese has no words to split)."""
    rows: list[dict] = []
    a, b = old.splitlines(), new.splitlines()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            rows += [{"kind": "same", "old": mark_safe(escape(x)), "new": mark_safe(escape(x))} for x in a[i1:i2]]
        elif tag == "replace":
            olds, news = a[i1:i2], b[j1:j2]
            for k in range(max(len(olds), len(news))):
                left = olds[k] if k < len(olds) else None
                right = news[k] if k < len(news) else None
                if left is not None and right is not None:
                    x, y = _chars(left, right)
                    rows.append({"kind": "changed", "old": mark_safe(x), "new": mark_safe(y)})
                elif left is not None:
                    rows.append({"kind": "removed", "old": mark_safe(f"<del>{escape(left)}</del>"), "new": ""})
                else:
                    rows.append({"kind": "added", "old": "", "new": mark_safe(f"<ins>{escape(right)}</ins>")})
        elif tag == "delete":
            rows += [{"kind": "removed", "old": mark_safe(f"<del>{escape(x)}</del>"), "new": ""} for x in a[i1:i2]]
        else:
            rows += [{"kind": "added", "old": "", "new": mark_safe(f"<ins>{escape(x)}</ins>")} for x in b[j1:j2]]
    return rows


def diff_summary(rows: list[dict]) -> dict:
    return {kind: sum(1 for r in rows if r["kind"] == kind) for kind in ("changed", "added", "removed")}


# --- Residents: a proven phone's households ----------------------------------------------------------------------

def households_for_phone(phone: str):
    """The households that registered this phone (as contact or other phone)."""
    if not phone:
        return Household.objects.none()
    hashes = crypto.lookup_hashes(phone)
    return Household.objects.filter(Q(phone_hash__in=hashes) | Q(other_phone_hash__in=hashes)).select_related(
        "building")


def my_ballots(vote: Vote, phone: str) -> list[dict]:
    """The eligible households of this phone, each with whether it has voted (and, for an open vote, its choice)."""
    from gongzhi.deliberation.services.votes import eligible_households

    mine = list(eligible_households(vote).filter(pk__in=households_for_phone(phone).values("pk"))
                .select_related("building"))
    cast = {r.household_id: r for r in BallotReceipt.objects.filter(vote=vote, household__in=mine)}
    rows = []
    for h in mine:
        receipt = cast.get(h.pk)
        choice = ""
        if receipt is not None and not vote.is_secret:
            ballot = Ballot.objects.filter(receipt=receipt).select_related("option__vote").first()
            choice = option_label(ballot.option) if ballot else ""
        rows.append({"household": h, "voted": receipt is not None, "choice": choice})
    return rows


def my_signatures(convention: ResidentConvention, phone: str) -> list[dict]:
    from gongzhi.deliberation.services.votes import convention_households

    mine = list(convention_households(convention).filter(pk__in=households_for_phone(phone).values("pk"))
                .select_related("building"))
    signed = set(ConventionSignature.objects.filter(convention=convention, household__in=mine)
                 .values_list("household_id", flat=True))
    return [{"household": h, "signed": h.pk in signed} for h in mine]


def my_cosigns(topic: Topic, phone: str) -> list[dict]:
    from gongzhi.deliberation.services.votes import topic_households

    mine = list(topic_households(topic).filter(pk__in=households_for_phone(phone).values("pk"))
                .select_related("building"))
    signed = set(TopicCosign.objects.filter(topic=topic, household__in=mine).values_list("household_id", flat=True))
    return [{"household": h, "signed": h.pk in signed} for h in mine]


# --- The public H5 pages ------------------------------------------------------------------------------------------

def public_estate(pk) -> Estate:
    found = Estate.objects.select_related("area").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


def _estate_grids(estate: Estate) -> list[int]:
    return list(estate.buildings.values_list("region_id", flat=True).distinct())


def estate_topics(estate: Estate):
    """The topics of the estate, of its grids and of its whole residential area (none declined)."""
    q = Q(estate=estate) | Q(estate__isnull=True, grid__isnull=True, area_id=estate.area_id)
    if grids := _estate_grids(estate):
        q |= Q(estate__isnull=True, grid_id__in=grids)
    return Topic.objects.filter(q).exclude(state=TopicState.DECLINED).select_related("area")


def estate_meetings(estate: Estate):
    return (Meeting.objects.filter(topic__in=estate_topics(estate)).exclude(state=MeetingState.CANCELLED)
            .select_related("topic", "place").order_by("-starts_at", "-id"))


def _public_votes():
    return Vote.objects.exclude(state=VoteState.DRAFT).select_related(*VOTE_RELATED)


def estate_votes(estate: Estate):
    """The votes the estate's households take part in (none in draft)."""
    parts = [Q(scope=VoteScope.ESTATE, estate=estate), Q(scope=VoteScope.AREA, area_id=estate.area_id)]
    if grids := _estate_grids(estate):
        parts.append(Q(scope=VoteScope.GRID, grid_id__in=grids))
    return _public_votes().filter(reduce(or_, parts)).order_by("-opens_at", "-id")


def estate_conventions(estate: Estate):
    """The conventions in force for the estate (its own, and its residential area's)."""
    return (ResidentConvention.objects.filter(Q(estate=estate) | Q(estate__isnull=True, area_id=estate.area_id))
            .filter(state__in=IN_FORCE_STATES).order_by("-effective_on", "-id"))


def public_votes_of_topic(topic: Topic):
    return _public_votes().filter(topic=topic).order_by("-opens_at", "-id")


def public_vote(pk) -> Vote:
    found = _public_votes().filter(pk=pk).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


def public_convention(pk) -> ResidentConvention:
    found = (ResidentConvention.objects.exclude(state=ConventionState.DRAFT).select_related("area", "estate", "topic")
             .filter(pk=pk).first())
    if found is None:
        raise NotFound(_("Not found."))
    return found


def public_topic(pk) -> Topic:
    found = Topic.objects.exclude(state=TopicState.DECLINED).select_related("area", "estate", "grid").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


def estate_of(obj) -> Estate | None:
    """The estate whose H5 page leads to a vote, convention or topic (for the way back)."""
    return getattr(obj, "estate", None)


def optional_url(name: str, *args) -> str:
    """The URL of a page another part of the app may provide (e.g. the topics part's H5 meeting page), or ""."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def signature_count(convention: ResidentConvention) -> int:
    return convention.signatures.count()

