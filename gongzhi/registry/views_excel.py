"""Excel pages: upload an import, follow its progress, download templates, exports and error reports."""

from urllib.parse import quote

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import require_capability
from gongzhi.core.errors import NotFound
from gongzhi.core.models import ImportJob
from gongzhi.core.tasks import run_import_job
from gongzhi.registry.excel import KIND_CHOICES, SPECS, errors_workbook, export_workbook, template_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD = 20 * 1024 * 1024


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("List"), choices=KIND_CHOICES)
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return f


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _spec(kind: str):
    if kind not in SPECS:
        raise NotFound(_("Not found."))
    return SPECS[kind]


def _job(request, pk: int) -> ImportJob:
    job = ImportJob.objects.filter(pk=pk, user=request.user).first()
    if job is None:
        raise NotFound(_("Not found."))
    return job


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request):
    """Pick a list and a file; the import runs in the background and its page shows the progress."""
    require_capability(request.user, Capability.IMPORT_REGISTRY)
    form = ImportForm(request.POST or None, request.FILES or None, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = ImportJob(kind=form.cleaned_data["kind"], user=request.user, original_name=upload.name[:255])
        job.file.save(f"{job.kind}.xlsx", upload, save=True)
        run_import_job.enqueue(job.pk)
        return redirect("registry:import_job", pk=job.pk)
    labels = dict(KIND_CHOICES)
    jobs = [(job, labels.get(job.kind, job.kind)) for job in ImportJob.objects.filter(user=request.user)[:10]]
    return render(request, "registry/excel/import.html", {"form": form, "kinds": KIND_CHOICES, "jobs": jobs})


@login_required
def import_job(request, pk: int):
    """The job's page; htmx polls it every second for the progress fragment until the job is finished."""
    job = _job(request, pk)
    label = dict(KIND_CHOICES).get(job.kind, job.kind)
    context = {"job": job, "label": label, "errors": job.errors[:500]}
    if request.htmx:
        return render(request, "registry/excel/_job_status.html", context)
    return render(request, "registry/excel/job.html", context)


@login_required
def import_errors(request, pk: int):
    job = _job(request, pk)
    return _xlsx(errors_workbook(job.errors), f"导入错误报告-{job.pk}.xlsx")


@login_required
def excel_template(request, kind: str):
    require_capability(request.user, Capability.IMPORT_REGISTRY)
    spec = _spec(kind)
    return _xlsx(template_workbook(kind), f"{spec.label}-导入模板.xlsx")


@login_required
def excel_export(request, kind: str):
    """The list as the user may see it (scoped; personal data masked without the capability)."""
    require_capability(request.user, Capability.VIEW_REGISTRY)
    spec = _spec(kind)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _xlsx(export_workbook(kind, request.user), f"{spec.label}-{stamp}.xlsx")
