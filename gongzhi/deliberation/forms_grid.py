"""Forms of the grid part's pages: the batch page (settings and one row per grid), a topic's steps, micro-items,
claims with a promise, release and completion with photos. Forms check the input's shape; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.deliberation.workflows_grid import GRID_TOPIC_TRANSITIONS, GridTopicAction

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what <input type=date> reads


class BatchSettingsForm(forms.Form):
    """The batch page's settings: the topics' year, the year whose top-10 concerns prefill the rows, whether to
    publish at once and the due date of the micro-items listed in the rows."""

    year = forms.IntegerField(label=_("Topics for the year"), min_value=2000, max_value=2100)
    basis = forms.IntegerField(label=_("From the top-10 concerns of"), min_value=2000, max_value=2100)
    publish = forms.BooleanField(label=_("Publish at once"), required=False,
                                 help_text=_("Published topics are open to claims; drafts can still be edited."))
    due_on = forms.DateField(label=_("Micro-items due on"), required=False, widget=DATE,
                             help_text=_("The due date of the micro-items listed in the rows."))

    @staticmethod
    def defaults(params) -> dict:
        """The settings of a GET of the page: this year's topics from last year's concerns unless asked."""
        year = timezone.localdate().year
        out = {"year": year, "basis": year - 1, "publish": True}
        for name in ("year", "basis"):
            raw = (params.get(name) or "").strip()
            if raw.isdigit() and 2000 <= int(raw) <= 2100:
                out[name] = int(raw)
        return out


class BatchRowForm(forms.Form):
    include = forms.BooleanField(label=_("Create"), required=False)
    grid = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    concern = forms.CharField(label=_("Concern"), max_length=60, required=False)
    concern_rank = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=999)
    title = forms.CharField(label=_("Title"), max_length=120, required=False)
    description = forms.CharField(label=_("Description"), max_length=5000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    items = forms.CharField(label=_("Micro-items, one per line"), max_length=5000, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))


BatchFormSet = forms.formset_factory(BatchRowForm, extra=0, max_num=500, absolute_max=500)


class TopicStepForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, GridTopicAction(a).label) for (_s, a) in GRID_TOPIC_TRANSITIONS],
                               widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class MicroItemForm(forms.Form):
    title = forms.CharField(label=_("Micro-item"), max_length=120)
    description = forms.CharField(label=_("Description"), max_length=5000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    due_on = forms.DateField(label=_("Due on"), widget=DATE)


class ClaimForm(forms.Form):
    promise = forms.CharField(label=_("Public promise"), max_length=200,
                              help_text=_("What you promise to do, and by when. Everyone in the grid sees it."),
                              widget=forms.Textarea(attrs={"rows": 2}))


class ReleaseForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class CompleteForm(forms.Form):
    outcome = forms.CharField(label=_("What was done"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        from gongzhi.demands.forms import MultipleImageField

        super().__init__(*args, **kwargs)
        self.fields["photos"] = MultipleImageField(label=_("Outcome photos (at most 3)"), required=False)
