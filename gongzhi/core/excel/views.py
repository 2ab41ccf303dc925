"""The Excel pages of every list: one upload page, the job page (progress, errors), and the downloads (template,
export, error report). Which lists a user sees and may import follows each spec's capabilities."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from gongzhi.core.errors import Forbidden, NotFound
from gongzhi.core.excel.books import XLSX, errors_workbook, export_workbook, file_name, template_workbook
from gongzhi.core.excel.jobs import start_import
from gongzhi.core.excel.spec import get_spec, specs
from gongzhi.core.models import ImportJob

MAX_UPLOAD = 20 * 1024 * 1024


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    """A workbook download under its Chinese name (RFC 5987 ``filename*``)."""
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("List"))
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return f


def _titles() -> dict[str, str]:
    return {kind: spec.title for kind, spec in specs().items()}


def _job(request, pk: int) -> ImportJob:
    job = ImportJob.objects.filter(pk=pk, user=request.user).first()
    if job is None:
        raise NotFound(_("Not found."))
    return job


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request):
    """Pick a list and a file; the job's page shows the outcome (or the progress of a large file)."""
    importable = [(kind, spec.title) for kind, spec in specs().items() if spec.may_import(request.user)]
    if not importable:
        raise Forbidden(_("You do not have permission to do this."))
    form = ImportForm(request.POST or None, request.FILES or None, kinds=importable,
                      initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        job = start_import(get_spec(form.cleaned_data["kind"]), form.cleaned_data["file"], request.user)
        return redirect("excel:job", pk=job.pk)
    titles = _titles()
    jobs = [(job, titles.get(job.kind, job.kind)) for job in ImportJob.objects.filter(user=request.user)[:10]]
    return render(request, "core/excel/import.html", {"form": form, "kinds": importable, "jobs": jobs})


@login_required
def import_job(request, pk: int):
    """The job's page; htmx polls it every second for the progress fragment until the job is finished."""
    job = _job(request, pk)
    context = {"job": job, "label": _titles().get(job.kind, job.kind), "errors": job.errors[:500]}
    if request.htmx:
        return render(request, "core/excel/_job_status.html", context)
    return render(request, "core/excel/job.html", context)


@login_required
def import_errors(request, pk: int):
    job = _job(request, pk)
    title = _titles().get(job.kind, job.kind)
    return xlsx_response(errors_workbook(job.errors), f"{title}-导入错误报告-{timezone.localdate().isoformat()}.xlsx")


@login_required
def template(request, kind: str):
    spec = get_spec(kind)
    if not spec.may_import(request.user):
        raise Forbidden(_("You do not have permission to do this."))
    return xlsx_response(template_workbook(spec, request.user), file_name(spec, "导入模板"))


@login_required
def export(request, kind: str):
    """The list as the user sees it on its page: scoped, filtered by the same parameters, masked the same way."""
    spec = get_spec(kind)
    if not spec.may_export(request.user):
        raise Forbidden(_("You do not have permission to do this."))
    return xlsx_response(export_workbook(spec, request.user, request.GET), file_name(spec))
