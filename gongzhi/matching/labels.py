"""Translatable labels of the matching engine's codes (the engine is Django-free and keeps Chinese-only dicts):
resource and need categories, units, region levels, and `explain()`, which renders a suggestion's reasons in
the active language. The Chinese translations equal the engine's labels (see `tests/matching/test_labels.py`)."""

from __future__ import annotations

from django.utils.translation import gettext, ngettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from gongzhi.matching import engine

RESOURCE_CATEGORY_LABELS = {
    "venue": _("Venue"),
    "volunteer": _("Volunteer service"),
    "funds": _("Funds"),
    "goods": _("Goods"),
    "legal": _("Legal service"),
    "medical": _("Medical service"),
    "psychological": _("Psychological service"),
    "jobs": _("Jobs"),
    "training": _("Training"),
}
NEED_CATEGORY_LABELS = {
    "elderly_care": _("Elderly care"),
    "child_care": _("Children and youth"),
    "health": _("Health care"),
    "legal_aid": _("Legal aid"),
    "employment": _("Employment support"),
    "hardship_relief": _("Hardship relief"),
    "environment": _("Environmental improvement"),
    "culture": _("Culture and sports"),
    "mental_health": _("Mental health"),
    "community_event": _("Community events"),
}
UNIT_LABELS = {
    "people": pgettext_lazy("unit of measure", "people"),
    "hours": pgettext_lazy("unit of measure", "hours"),
    "yuan": pgettext_lazy("unit of measure", "yuan"),
    "sessions": pgettext_lazy("unit of measure", "sessions"),
}
# By depth of the resource's covering region node (`Suggestion.region_level`), as `MatchingConfig.region_labels`.
REGION_LEVEL_LABELS = (
    _("Same district"),
    _("Same sub-district"),
    _("Same residential area"),
    _("Same grid"),
)

assert set(RESOURCE_CATEGORY_LABELS) == set(engine.RESOURCE_CATEGORIES)
assert set(NEED_CATEGORY_LABELS) == set(engine.NEED_CATEGORIES)
assert set(UNIT_LABELS) == set(engine.UNITS)
assert len(REGION_LEVEL_LABELS) == len(engine.MatchingConfig().region_labels)

RESOURCE_CATEGORY_CHOICES = list(RESOURCE_CATEGORY_LABELS.items())
NEED_CATEGORY_CHOICES = list(NEED_CATEGORY_LABELS.items())
UNIT_CHOICES = list(UNIT_LABELS.items())


def resource_category(code: str) -> str:
    return str(RESOURCE_CATEGORY_LABELS.get(code, code))


def region_level(level: int | None, fallback: str = "") -> str:
    if level is None:
        return fallback
    return str(REGION_LEVEL_LABELS[max(0, min(level, len(REGION_LEVEL_LABELS) - 1))])


def _reason(code: str, value, suggestion: engine.Suggestion) -> str:
    if code == "category_match":
        return gettext("Right kind of help")
    if code == "category_compatible":
        return gettext("Similar kind of help")
    if code == "region":
        return region_level(value, suggestion.region_label)
    if code == "time_full":
        return gettext("Dates fit")
    if code == "time_overlap":
        return gettext("Dates partly fit (%(percent).0f%%)") % {"percent": value * 100}
    if code == "text":
        return gettext("Similar description")
    if code == "capacity_full":
        return gettext("Enough to cover the need")
    if code == "capacity_partial":
        return gettext("Covers %(percent).0f%% of the need") % {"percent": value * 100}
    if code == "urgency":
        return gettext("Urgent need")
    if code == "experience":
        return gettext("Has completed similar projects before")
    if code == "provider_load":
        return ngettext("Provider already has %(count)d project under way",
                        "Provider already has %(count)d projects under way", value) % {"count": value}
    if code == "repeat":
        return ngettext("Provider has worked with this place %(count)d time before",
                        "Provider has worked with this place %(count)d times before", value) % {"count": value}
    raise ValueError(f"unknown reason code {code!r}")


def explain(suggestion: engine.Suggestion) -> list[str]:
    """The suggestion's reasons (`reason_items`) in the active language."""
    return [text for code, value in suggestion.reason_items if (text := _reason(code, value, suggestion))]


def explain_text(suggestion: engine.Suggestion) -> str:
    """`explain()` joined with the language's list separator."""
    return pgettext("list separator", "; ").join(explain(suggestion))
