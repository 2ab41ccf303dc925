"""Triage intelligence: classification on intake, the human triage decision, retraining, duplicate merges.

Classification level. The taxonomy has two levels; a sub-district's own history rarely holds enough rows per
leaf, so the classifier is trained on the TOP-LEVEL category (a leaf label counts for its parent) and suggests
top-level categories. Staff may still choose a leaf in the triage queue: choosing the suggested category or one
of its children counts as "confirmed", anything else as "corrected".

On intake (signal ``gongzhi.demands.signals.demand_submitted``, sent after commit by the submission's one
after-transition job, which the background worker runs) the active model of the demand's
sub-district predicts a category with confidence and top 3. With confidence >= ``GONGZHI_TRIAGE_THRESHOLD``
(setting, default 0.6) a demand without a category gets it (auto_accepted; the deadlines set at intake stay);
below, or without any model yet, the demand waits in the triage queue (needs_review). A demand that came with a
category keeps it (confirmed / corrected against the suggestion). Errors are logged and never reach the intake.

Retraining: ``retrain_model(subdistrict)`` learns from the sub-district's labelled demands (a category set or
confirmed by people: every categorised demand except those whose category is still the model's own unreviewed
auto-accepted guess), keeps the cross-validated macro-F1 and activates the new model only when it is not worse
than the active one (or when there is none). Periodic runs, either way:

* cron: ``0 3 * * 0 gongzhi manage triage_retrain`` (retrains inline, every sub-district, Sundays 03:00);
* worker: ``gongzhi manage triage_retrain --enqueue`` (from cron) or ``retrain_triage_models.enqueue()``
  (``gongzhi.triage.tasks``), run by the django-tasks database worker (``gongzhi manage db_worker``).
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import tempfile
from collections import Counter, OrderedDict
from datetime import datetime, timedelta

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from gongzhi.accounts.roles import Capability
from gongzhi.core.errors import Forbidden, NotFound, ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.demands import services as demand_services
from gongzhi.demands.models import Category, Demand
from gongzhi.demands.selectors import visible_demands
from gongzhi.demands.workflow import OPEN_STATES
from gongzhi.insights.classifier import TextClassifier
from gongzhi.insights.duplicates import find_duplicates
from gongzhi.registry.models import METRES_PER_DEGREE, Region, RegionKind
from gongzhi.triage import policies
from gongzhi.triage.models import Classification, Status, TriageModel

log = logging.getLogger(__name__)
C = Capability

DEFAULT_THRESHOLD = 0.6
MIN_ROWS = 40  # labelled demands needed before a sub-district gets a model
MIN_PER_CATEGORY = 2  # categories with fewer labelled demands are left out of training
CV_FOLDS = 5
DUPLICATE_TOP = 5
DUPLICATE_MIN_SCORE = 0.5
DUPLICATE_WINDOW_DAYS = 180  # open demands older than this are not offered as duplicates
DUPLICATE_CANDIDATES = 3000
DUPLICATE_RADIUS_M = 200  # farther apart than this, two reports are about different places


def threshold() -> float:
    return float(getattr(settings, "GONGZHI_TRIAGE_THRESHOLD", DEFAULT_THRESHOLD))


def document(demand: Demand) -> tuple[str, str]:
    """The classifier's document: (heading, body)."""
    return (demand.title or "", demand.description or "")


def top_level(category: Category | None) -> Category | None:
    if category is None:
        return None
    return category.parent if category.parent_id else category


# --- Model files ---------------------------------------------------------------------------------------------

def _to_bytes(clf: TextClassifier) -> bytes:
    fd, path = tempfile.mkstemp(suffix=".npz")
    os.close(fd)
    try:
        clf.save(path)
        with open(path, "rb") as fh:
            return fh.read()
    finally:
        os.unlink(path)


def _from_bytes(data: bytes) -> TextClassifier:
    fd, path = tempfile.mkstemp(suffix=".npz")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(bytes(data))
        return TextClassifier.load(path)
    finally:
        os.unlink(path)


_cache: OrderedDict[str, TextClassifier] = OrderedDict()
_CACHE_SIZE = 8


def load_model(model: TriageModel) -> TextClassifier:
    """The classifier of a stored model, kept in a small per-process cache keyed by the file's digest
    (ids can be reused after a restore or a rolled-back transaction; the content cannot lie)."""
    data = bytes(model.model_file)
    key = hashlib.sha256(data).hexdigest()
    clf = _cache.get(key)
    if clf is None:
        clf = _from_bytes(data)
        _cache[key] = clf
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return clf


def active_model(subdistrict: Region) -> TriageModel | None:
    return TriageModel.objects.filter(subdistrict=subdistrict, active=True).first()


# --- Classification on intake -----------------------------------------------------------------------------------

def predict(demand: Demand, model: TriageModel) -> tuple[Category | None, float, list[dict]]:
    """(suggested top-level category, confidence, top 3) of one demand."""
    pred = load_model(model).predict([document(demand)])[0]
    ids = [int(label) for label, _p in pred.top]
    cats = {c.pk: c for c in Category.objects.filter(pk__in=ids, active=True)}
    top3 = [{"category": int(label), "name": cats[int(label)].name, "confidence": round(float(p), 4)}
            for label, p in pred.top if int(label) in cats]
    return cats.get(int(pred.label)), float(pred.confidence), top3


def _point(demand: Demand) -> tuple[float, float] | None:
    """Where the demand is on the map: its own coordinates, else its building's."""
    if demand.latitude is not None and demand.longitude is not None:
        return float(demand.latitude), float(demand.longitude)
    b = demand.building if demand.building_id else None
    if b is not None and b.latitude is not None and b.longitude is not None:
        return float(b.latitude), float(b.longitude)
    return None


def _nearby(demand: Demand) -> Q | None:
    """Demands at the same place as this one: the same building, or a point (theirs or their building's) within
    DUPLICATE_RADIUS_M, or, for a demand placed by its grid only, the same grid. None when the demand has no
    place at all (then every open demand of the scope is a candidate, by text alone)."""
    point = _point(demand)
    if point is None and not demand.building_id:
        if demand.address or not demand.grid_id:  # an unmatched address is compared by its text, scope-wide
            return None
        return Q(grid_id=demand.grid_id)
    near = Q(building_id=demand.building_id) if demand.building_id else Q(pk__in=[])
    if point is not None:
        lat, lon = point
        dlat = DUPLICATE_RADIUS_M / METRES_PER_DEGREE
        dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
        lat_range, lon_range = (lat - dlat, lat + dlat), (lon - dlon, lon + dlon)
        near |= Q(latitude__range=lat_range, longitude__range=lon_range)
        near |= Q(latitude__isnull=True, building__latitude__range=lat_range, building__longitude__range=lon_range)
    return near


def _duplicate_candidates(demand: Demand, qs) -> list[tuple]:
    since = timezone.now() - timedelta(days=DUPLICATE_WINDOW_DAYS)
    qs = qs.filter(state__in=OPEN_STATES, created_at__gte=since)
    near = _nearby(demand)
    if near is not None:
        qs = qs.filter(near)
    rows = qs.order_by("-created_at").values_list(
        "pk", "title", "description", "building__name", "address", "grid__name", "latitude", "longitude")
    return [(pk, f"{title} {description}", building or address or grid or "",
             float(lat) if lat is not None else None, float(lon) if lon is not None else None)
            for pk, title, description, building, address, grid, lat, lon in rows[:DUPLICATE_CANDIDATES]]


def place_of(demand: Demand) -> str:
    """The most specific place of a demand: its building, else its address, else its grid."""
    if demand.building_id:
        return demand.building.name
    return demand.address or (demand.grid.name if demand.grid_id else "")


def near_duplicates(demand: Demand, candidates) -> list:
    """Up to 5 open candidates most like the demand: the same problem (by text) at the same place (the same
    building, or within DUPLICATE_RADIUS_M); DuplicateMatch, best first."""
    items = _duplicate_candidates(demand, candidates.exclude(pk=demand.pk))
    lat = float(demand.latitude) if demand.latitude is not None else None
    lon = float(demand.longitude) if demand.longitude is not None else None
    return find_duplicates(f"{demand.title} {demand.description}", items, place=place_of(demand), lat=lat,
                           lon=lon, top=DUPLICATE_TOP, min_score=DUPLICATE_MIN_SCORE)


def classify_demand(demand: Demand | int) -> Classification:
    """Classify a new demand (idempotent: an existing classification is returned unchanged)."""
    pk = demand.pk if isinstance(demand, Demand) else demand
    demand = Demand.objects.select_related("region", "category", "building", "grid").get(pk=pk)
    existing = Classification.objects.filter(demand=demand).first()
    if existing is not None:
        return existing
    subdistrict = demand_services.subdistrict_of(demand.region)
    model = active_model(subdistrict)
    suggested, confidence, top3 = None, None, []
    if model is not None:
        suggested, confidence, top3 = predict(demand, model)
    earlier = Demand.objects.filter(Q(region__path__startswith=subdistrict.path)
                                    | Q(grid__path__startswith=subdistrict.path), pk__lt=demand.pk)
    duplicates = [{"demand": m.id, "score": m.score} for m in near_duplicates(demand, earlier)]
    with transaction.atomic():
        locked = Demand.objects.select_for_update(of=("self",)).select_related("category").get(pk=pk)
        row = Classification(demand=locked, model=model, suggested_category=suggested, confidence=confidence,
                             top3=top3, duplicates=duplicates, status=Status.NEEDS_REVIEW)
        if locked.category_id is not None:  # chosen by a person at intake: it stands
            row.status = (Status.CONFIRMED if suggested and top_level(locked.category) == suggested
                          else Status.CORRECTED)
            row.decided_by_id, row.decided_at = locked.recorded_by_id, locked.created_at
        elif suggested is not None and confidence >= threshold():
            demand_services.set_category(locked, actor=SYSTEM, category_id=suggested.pk,
                                         note=_("Classified automatically (confidence %(p)s%%).") % {
                                             "p": round(confidence * 100)})
            row.status = Status.AUTO_ACCEPTED
        row.save()
    return row


def on_demand_submitted(sender, demand, **kwargs) -> None:
    """Receiver of demand_submitted (in the background worker: the intake request writes one job row and no
    prediction): classify the demand; a failure is logged and leaves it in the triage queue."""
    try:
        classify_demand(demand.pk)
    except Exception:
        log.exception("triage: classifying demand %s failed; it waits in the triage queue", demand.pk)


# --- The human decision -------------------------------------------------------------------------------------

def allowed_categories(demand: Demand) -> list[Category]:
    """Active categories (top level and leaves) of the demand's sub-district taxonomy."""
    from gongzhi.demands.selectors import categories_for

    out = []
    for top in categories_for(demand_services.subdistrict_of(demand.region)):
        out.append(top)
        out.extend(top.children.all())
    return out


def decide(demand: Demand | int, actor, category: Category | int | None, *,
           now: datetime | None = None) -> Classification:
    """Confirm the suggestion or correct it: set the demand's category (audited on the demand's history) and
    record the decision. Out-of-scope demands answer NotFound."""
    pk = demand.pk if isinstance(demand, Demand) else demand
    now = now or timezone.now()
    with transaction.atomic():
        try:
            locked = (visible_demands(actor, C.ASSIGN_DEMANDS).select_for_update(of=("self",)).get(pk=pk))
        except (Demand.DoesNotExist, ValueError, TypeError):
            raise NotFound(_("Not found."))
        if not policies.can(actor, locked, "decide"):
            raise Forbidden(_("You do not have permission to do this."))
        cat_pk = category.pk if isinstance(category, Category) else category
        chosen = next((c for c in allowed_categories(locked) if str(c.pk) == str(cat_pk)), None)
        if chosen is None:
            raise ValidationFailed(_("Choose a valid category."),
                                   field_errors={"category": [_("Choose a valid category.")]})
        row, _created = Classification.objects.get_or_create(demand=locked)
        if not row.suggested_category_id:
            row.status = Status.CLASSIFIED  # nothing to confirm or correct
        else:
            row.status = Status.CONFIRMED if top_level(chosen).pk == row.suggested_category_id else Status.CORRECTED
        row.decided_by, row.decided_at = actor, now
        row._history_user = actor
        row.save()
        if locked.category_id != chosen.pk:
            demand_services.set_category(locked, actor=actor, category_id=chosen.pk, now=now)
    return row


# --- Retraining -----------------------------------------------------------------------------------------------

def training_rows(subdistrict: Region) -> list[tuple[tuple[str, str], str]]:
    """((heading, body), top-level category pk) of the sub-district's demands labelled by people."""
    qs = (Demand.objects.filter(Q(region__path__startswith=subdistrict.path)
                                | Q(grid__path__startswith=subdistrict.path), category__isnull=False)
          .exclude(classification__status=Status.AUTO_ACCEPTED,
                   category=F("classification__suggested_category"))
          .order_by("pk").values_list("title", "description", "category_id", "category__parent_id"))
    # Plain values: the top-level category is the parent's id, else the category's own (no query per demand).
    return [((title or "", body or ""), str(parent or cat)) for title, body, cat, parent in qs]


def cross_validate(docs: list, labels: list[str], folds: int = CV_FOLDS) -> dict:
    """Out-of-fold macro-F1 and accuracy (stratified k-fold, k = min(folds, smallest category))."""
    y = np.asarray(labels)
    k = max(2, min(folds, min(Counter(labels).values())))
    pred = np.empty(len(y), dtype=object)
    for train, test in StratifiedKFold(k, shuffle=True, random_state=0).split(np.zeros(len(y)), y):
        clf = TextClassifier().fit([docs[i] for i in train], y[train].tolist())
        pred[test] = [p.label for p in clf.predict([docs[i] for i in test])]
    return {"macro_f1": round(float(f1_score(y, pred.astype(str), average="macro")), 4),
            "accuracy": round(float(np.mean(pred.astype(str) == y)), 4), "folds": k}


def retrain_model(subdistrict: Region, *, min_rows: int = MIN_ROWS, max_rows: int | None = None
                  ) -> TriageModel | None:
    """Train a new model on the sub-district's labelled history (the newest `max_rows` when given); activate it
    unless it is worse than the active one. None when there are too few labelled demands (or fewer than two
    categories)."""
    rows = training_rows(subdistrict)
    if max_rows is not None:
        rows = rows[-max_rows:]  # ordered by pk: the newest
    counts = Counter(label for _doc, label in rows)
    rows = [(doc, label) for doc, label in rows if counts[label] >= MIN_PER_CATEGORY]
    if len(rows) < max(min_rows, 2) or len({label for _d, label in rows}) < 2:
        log.info("triage: %s has %d usable labelled demands; no model trained", subdistrict, len(rows))
        return None
    docs, labels = [d for d, _l in rows], [label for _d, label in rows]
    metrics = cross_validate(docs, labels)
    clf = TextClassifier().fit(docs, labels)
    data = _to_bytes(clf)
    with transaction.atomic():
        current = (TriageModel.objects.select_for_update().filter(subdistrict=subdistrict, active=True).first())
        activate = current is None or metrics["macro_f1"] >= current.macro_f1
        metrics["previous_macro_f1"] = current.macro_f1 if current else None
        if activate and current is not None:
            TriageModel.objects.filter(pk=current.pk).update(active=False)
        model = TriageModel.objects.create(subdistrict=subdistrict, model_file=data, training_size=len(rows),
                                           labels=len(set(labels)), metrics=metrics, active=activate)
    log.info("triage: trained %s (%s)", model, "activated" if activate else "kept inactive: worse")
    return model


def retrain_all(*, codes: list[str] | None = None, min_rows: int = MIN_ROWS) -> list[tuple[Region, object]]:
    """Retrain every sub-district (or those with the given codes): [(sub-district, model or None)]."""
    qs = Region.objects.filter(kind=RegionKind.SUBDISTRICT).order_by("code")
    if codes:
        qs = qs.filter(code__in=codes)
    return [(sub, retrain_model(sub, min_rows=min_rows)) for sub in qs]
