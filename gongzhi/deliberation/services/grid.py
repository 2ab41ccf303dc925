"""Writes of the grid part: one transaction each, signature ``verb(subject, *, actor, ...)`` with plain values.

The actor is a user or `SYSTEM`. A service finds its subject as the actor may see it (`NotFound` outside the
scope), asks `gongzhi.deliberation.policies.grid` whether the actor may act (`Forbidden`, or `Conflict` when the
state does not allow it) and changes a state only through `gongzhi.core.workflow.transition`. The grid's leaders
hear of claims and completed items, the party members serving a grid of its newly published topic (in-app and
e-mail, after the commit).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import partial

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.models import User
from gongzhi.accounts.roles import Role
from gongzhi.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from gongzhi.core.workflow import (
    SYSTEM,
    check_actor,
    is_user,
    record_creation,
    record_step,
    transition,
    user_of,
)
from gongzhi.core.workflow import find as _find
from gongzhi.core.workflow import pk_of as _pk
from gongzhi.deliberation.models.grid import GridTopic, MicroItem, MicroItemPhoto
from gongzhi.deliberation.policies import grid as policies
from gongzhi.deliberation.selectors import grid as selectors
from gongzhi.deliberation.workflows_grid import (
    GRID_TOPIC_FLOW,
    MICRO_ITEM_FLOW,
    GridTopicAction,
    MicroItemAction,
)
from gongzhi.registry.models import Region, RegionKind

MAX_PHOTOS = 3
MAX_ITEMS_PER_TOPIC = 20
LIMITS = {"title": 120, "description": 5000, "concern": 60}




def _refuse(actor, subject, action: str) -> None:
    """Forbidden without the right, Conflict when the state does not allow the action now."""
    if not policies.allowed(actor, subject, action):
        raise Forbidden(_("You do not have permission to do this."))
    if not policies.state_allows(subject, action):
        if isinstance(subject, MicroItem) and action == MicroItemAction.CLAIM:
            raise Conflict(policies.why_not_claimable(subject), code="already_claimed")
        raise Conflict(_("This cannot be done in the current state."))


# --- notifications ----------------------------------------------------------------------------------------

def grid_leaders(grid) -> models.QuerySet:
    return User.objects.filter(is_active=True, role_assignments__role=Role.GRID_LEADER,
                               role_assignments__region=grid).distinct()


def grid_party_members(grid) -> models.QuerySet:
    """The party-member accounts whose scope covers the grid."""
    ids = [int(x) for x in grid.path.strip("/").split("/") if x]
    return User.objects.filter(is_active=True, role_assignments__role=Role.PARTY_MEMBER,
                               role_assignments__region__in=ids).distinct()


def _notify_later(users, text: str) -> None:
    from gongzhi.demands.notify import notify_users

    transaction.on_commit(partial(notify_users, list(users), None, text), robust=True)


def _who(actor) -> str:
    user = user_of(actor)
    return (user.display_name or user.username) if user else str(actor)


# --- grid topics ----------------------------------------------------------------------------------------------

def _text(row: dict, name: str, errors: dict, i: int, required: bool = False) -> str:
    value = str(row.get(name) or "").strip()
    if required and not value:
        errors.setdefault(f"{i}.{name}", []).append(_("This field is required."))
    elif len(value) > LIMITS[name]:
        errors.setdefault(f"{i}.{name}", []).append(
            _("At most %(n)s characters.") % {"n": LIMITS[name]})
    return value


def _item_titles(row: dict, errors: dict, i: int) -> list[str]:
    raw = row.get("items") or []
    titles = [t.strip() for t in (raw.splitlines() if isinstance(raw, str) else raw) if str(t).strip()]
    if len(titles) > MAX_ITEMS_PER_TOPIC:
        errors.setdefault(f"{i}.items", []).append(_("At most %(n)s micro-items.") % {"n": MAX_ITEMS_PER_TOPIC})
    if any(len(t) > LIMITS["title"] for t in titles):
        errors.setdefault(f"{i}.items", []).append(
            _("A micro-item's title has at most %(n)s characters.") % {"n": LIMITS["title"]})
    return titles


def _batch_grids(actor, rows) -> dict[int, Region]:
    ids = {_pk(r.get("grid")) for r in rows}
    grids = Region.objects.filter(kind=RegionKind.GRID).select_related("parent")
    if actor is not SYSTEM:
        grids = selectors.grid_choices(actor, policies.MANAGE)
    found = {g.pk: g for g in grids.filter(pk__in=[i for i in ids if isinstance(i, int)])}
    if len(found) != len(ids):
        raise NotFound(_("Not found."))  # a grid outside the scope looks like a missing one
    return found


@transaction.atomic
def create_grid_topics(year: int, *, actor, rows: Iterable[dict], publish: bool = False, due_on: date | None = None,
                       today: date | None = None, now: datetime | None = None, notify: bool = True) -> list[GridTopic]:
    """The year's topics of several grids at once (the batch page), all or nothing.

    Each row: ``grid`` (a grid in the actor's deliberation.manage scope), ``title``, ``description``, ``concern``
    and ``concern_rank`` (the top-10 concern it came from) and ``items`` (micro-item titles, one per line, all due
    on `due_on`). A grid has one topic of a title per year. ValidationFailed names each bad field as
    ``"<row index>.<field>"``; nothing is written then. `notify`: tell the grids' party members of the published
    topics (not when seeding)."""
    check_actor(actor)
    if not policies.may_create_topics(actor):
        raise Forbidden(_("You do not have permission to do this."))
    rows = list(rows)
    today = today or timezone.localdate()
    now = now or timezone.now()
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationFailed.on("year", _("Enter a year between 2000 and 2100."))
    if not rows:
        raise ValidationFailed(_("Choose at least one grid."))
    grids = _batch_grids(actor, rows)
    errors: dict[str, list[str]] = {}
    seen: set[tuple[int, str]] = set()
    clean = []
    for i, row in enumerate(rows):
        grid = grids[_pk(row["grid"])]
        title = _text(row, "title", errors, i, required=True)
        values = {"description": _text(row, "description", errors, i), "concern": _text(row, "concern", errors, i)}
        items = _item_titles(row, errors, i)
        if title and (grid.pk, title) in seen:
            errors.setdefault(f"{i}.title", []).append(_("The same title twice for one grid."))
        elif title and GridTopic.objects.filter(grid=grid, year=year, title=title).exists():
            errors.setdefault(f"{i}.title", []).append(
                _("%(grid)s already has a topic of this title in %(year)s.") % {"grid": grid.name, "year": year})
        seen.add((grid.pk, title))
        rank = row.get("concern_rank")
        clean.append((grid, title, values, items, rank if isinstance(rank, int) and 0 < rank < 1000 else None))
    if any(items for *_x, items, _r in clean):
        if due_on is None:
            errors.setdefault("due_on", []).append(_("Give the micro-items a due date."))
        elif due_on < today:
            errors.setdefault("due_on", []).append(_("The due date lies in the past."))
    if errors:
        raise ValidationFailed(_("Nothing was saved: check the marked fields."), field_errors=errors)
    made = []
    try:
        with transaction.atomic():
            for grid, title, values, items, rank in clean:
                topic = GridTopic(year=year, grid=grid, title=title, concern_rank=rank, created_by=user_of(actor),
                                  created_at=now, **values)
                topic._history_user = user_of(actor)
                topic.save()
                record_creation(topic, GridTopicAction.CREATE, workflow=GRID_TOPIC_FLOW, actor=actor, now=now)
                for item_title in items:
                    _new_item(topic, actor, item_title, "", due_on, now)
                if publish:
                    topic = _publish(topic, actor, now, notify=notify)
                made.append(topic)
    except IntegrityError:  # another batch wrote the same grid, year and title just now
        raise Conflict(_("Another person created some of these topics just now. Reload the page.")) from None
    return made


def _publish(topic: GridTopic, actor, now, note: str = "", notify: bool = True) -> GridTopic:
    done = transition(topic, GridTopicAction.PUBLISH, workflow=GRID_TOPIC_FLOW, actor=actor, now=now, note=note)
    if not notify:
        return done
    members = grid_party_members(topic.grid)
    _notify_later(members, _("New grid topic of %(grid)s: “%(title)s”. Its micro-items wait to be claimed.") % {
        "grid": topic.grid.name, "title": topic.title})
    return done


@transaction.atomic
def transition_grid_topic(grid_topic, action: str, *, actor, note: str = "",
                          now: datetime | None = None) -> GridTopic:
    """Publish, close or reopen a grid topic (its grid's staff)."""
    topic = _find(actor, grid_topic, GridTopic, selectors.grid_topic)
    if action not in {a for (_s, a) in GRID_TOPIC_FLOW.transitions}:
        raise ValidationFailed.on("action", _("Unknown action."))
    _refuse(actor, topic, action)
    if action == GridTopicAction.PUBLISH:
        return _publish(topic, actor, now or timezone.now(), note)
    return transition(topic, action, workflow=GRID_TOPIC_FLOW, actor=actor, note=note, now=now)


def _new_item(topic: GridTopic, actor, title: str, description: str, due_on: date, now) -> MicroItem:
    item = MicroItem(grid_topic=topic, title=title, description=description, due_on=due_on, created_at=now)
    item._history_user = user_of(actor)
    item.save()
    record_creation(item, MicroItemAction.ADD, workflow=MICRO_ITEM_FLOW, actor=actor, now=now)
    return item


@transaction.atomic
def add_micro_item(grid_topic, *, actor, title: str, due_on: date | None, description: str = "",
                   today: date | None = None, now: datetime | None = None) -> MicroItem:
    """Add a micro-item to a draft or published topic (its grid's staff)."""
    topic = _find(actor, grid_topic, GridTopic, selectors.grid_topic)
    _refuse(actor, topic, policies.ADD_ITEM)
    title, description = (title or "").strip(), (description or "").strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("This field is required.")]
    elif len(title) > LIMITS["title"]:
        errors["title"] = [_("At most %(n)s characters.") % {"n": LIMITS["title"]}]
    if len(description) > LIMITS["description"]:
        errors["description"] = [_("At most %(n)s characters.") % {"n": LIMITS["description"]}]
    if due_on is None:
        errors["due_on"] = [_("This field is required.")]
    elif due_on < (today or timezone.localdate()):
        errors["due_on"] = [_("The due date lies in the past.")]
    if topic.micro_items.count() >= MAX_ITEMS_PER_TOPIC:
        errors.setdefault("title", []).append(_("At most %(n)s micro-items.") % {"n": MAX_ITEMS_PER_TOPIC})
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)
    return _new_item(topic, actor, title, description, due_on, now or timezone.now())


# --- micro-items ------------------------------------------------------------------------------------------------

ITEM_RELATED = ("grid_topic__grid",)


def _authorize(actor, action):
    return lambda locked: _refuse(actor, locked, action)


@transaction.atomic
def claim_micro_item(item, *, actor, promise: str, now: datetime | None = None, notify: bool = True) -> MicroItem:
    """认领 with a public promise (亮承诺). The row is locked while it is claimed: of two claims at once the second
    finds it claimed (Conflict). The grid's leaders hear of it (`notify`; not when seeding)."""
    found = _find(actor, item, MicroItem, selectors.item)
    if not is_user(actor):
        raise Forbidden(_("Only a person can promise to do a micro-item."))
    promise = (promise or "").strip()
    if not promise:
        raise ValidationFailed.on("promise", _("Make a public promise: what you will do, and by when."))
    if len(promise) > 200:
        raise ValidationFailed.on("promise", _("At most %(n)s characters.") % {"n": 200})
    now = now or timezone.now()

    def prepare(locked: MicroItem) -> None:
        locked.claimed_by, locked.promise, locked.claimed_at = actor, promise, now

    done = transition(found, MicroItemAction.CLAIM, workflow=MICRO_ITEM_FLOW, actor=actor, note=promise, now=now,
                      authorize=_authorize(actor, MicroItemAction.CLAIM), prepare=prepare, related=ITEM_RELATED)
    grid = done.grid_topic.grid
    if notify:
        text = _("%(who)s claimed the micro-item “%(item)s” of %(grid)s and promised: %(promise)s") % {
            "who": _who(actor), "item": done.title, "grid": grid.name, "promise": promise}
        _notify_later(grid_leaders(grid).exclude(pk=actor.pk), text)
    return done


@transaction.atomic
def release_micro_item(item, *, actor, note: str = "", now: datetime | None = None) -> MicroItem:
    """Give a claimed item back (the claimant, or the grid's staff): it is open to claims again."""
    found = _find(actor, item, MicroItem, selectors.item)
    holder = {}

    def prepare(locked: MicroItem) -> None:
        holder["user"] = locked.claimed_by
        locked.claimed_by, locked.promise, locked.claimed_at = None, "", None

    done = transition(found, MicroItemAction.RELEASE, workflow=MICRO_ITEM_FLOW, actor=actor, note=note, now=now,
                      authorize=_authorize(actor, MicroItemAction.RELEASE), prepare=prepare, related=ITEM_RELATED)
    previous = holder.get("user")
    if previous is not None and is_user(actor) and previous.pk != actor.pk:
        _notify_later([previous], _("%(who)s released your micro-item “%(item)s”.") % {
            "who": _who(actor), "item": done.title})
    return done


@transaction.atomic
def complete_micro_item(item, *, actor, outcome: str, photos: Iterable = (), now: datetime | None = None,
                        notify: bool = True) -> MicroItem:
    """Mark a claimed item done (the claimant, or the grid's staff) with what came of it and up to three photos
    (checked by content and re-encoded without metadata)."""
    from gongzhi.demands.photos import clean_photo

    found = _find(actor, item, MicroItem, selectors.item)
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationFailed.on("outcome", _("Say what was done."))
    if len(outcome) > LIMITS["description"]:
        raise ValidationFailed.on("outcome", _("At most %(n)s characters.") % {"n": LIMITS["description"]})
    photos = list(photos)
    if len(photos) > MAX_PHOTOS:
        raise ValidationFailed.on("photos", _("At most %(n)s photos.") % {"n": MAX_PHOTOS})
    try:
        contents = [clean_photo(p) for p in photos]
    except ValidationFailed as e:
        raise ValidationFailed(e.message, field_errors={"photos": [e.message]}) from None
    now = now or timezone.now()

    def prepare(locked: MicroItem) -> None:
        locked.outcome, locked.done_at = outcome, now

    done = transition(found, MicroItemAction.COMPLETE, workflow=MICRO_ITEM_FLOW, actor=actor, note=outcome, now=now,
                      authorize=_authorize(actor, MicroItemAction.COMPLETE), prepare=prepare, related=ITEM_RELATED)
    for content in contents:
        MicroItemPhoto.objects.create(item=done, image=content, uploaded_by=user_of(actor), created_at=now)
    grid = done.grid_topic.grid
    who = user_of(actor)
    if notify:
        text = _("The micro-item “%(item)s” of %(grid)s is done: %(outcome)s") % {
            "item": done.title, "grid": grid.name, "outcome": outcome[:120]}
        _notify_later(grid_leaders(grid).exclude(pk=who.pk if who else None), text)
    return done


# --- to the council ------------------------------------------------------------------------------------------------

@transaction.atomic
def raise_topic(grid_topic, *, actor, now: datetime | None = None):
    """Put a published grid topic to deliberation: a proposed Topic of the grid's residential area and grid (source
    "grid topic"), linked back from the grid topic. Once per grid topic."""
    from gongzhi.deliberation.models.topics import Topic, TopicSource
    from gongzhi.deliberation.workflow import TOPIC_FLOW, TopicAction, TopicState

    found = _find(actor, grid_topic, GridTopic, selectors.grid_topic)
    now = now or timezone.now()
    locked = GridTopic.objects.select_for_update(of=("self",)).select_related("grid__parent").get(pk=found.pk)
    _refuse(actor, locked, policies.RAISE)
    grid = locked.grid
    description = locked.description
    if locked.concern:
        line = _("From the top-10 concern “%(concern)s”, grid topic of %(year)s.") % {
            "concern": locked.concern, "year": locked.year}
        description = f"{description}\n\n{line}".strip()
    topic = Topic.objects.create(title=locked.title, description=description, source=TopicSource.GRID_TOPIC,
                                 area=grid.parent, grid=grid, proposer=user_of(actor), state=TopicState.PROPOSED,
                                 created_at=now)
    record_creation(topic, TopicAction.PROPOSE, workflow=TOPIC_FLOW, actor=actor, now=now)
    locked.topic = topic
    locked._history_user = user_of(actor)
    locked._change_reason = GridTopicAction.RAISE
    locked.save(update_fields=["topic"])
    record_step(locked, GridTopicAction.RAISE, workflow=GRID_TOPIC_FLOW, actor=actor, now=now,
                extra={"topic": topic.pk})
    return topic
