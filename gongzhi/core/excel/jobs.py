"""Every upload becomes an `ImportJob`, so its page and its downloadable error report look the same however it ran.

A file whose header row is wrong is refused at once. One of up to `INLINE_MAX_ROWS` rows is imported in the
request; a larger one always runs in the background (django-tasks), its progress written as it goes.
"""

from __future__ import annotations

from django.utils import timezone

from gongzhi.core.excel.books import CellError, open_sheet
from gongzhi.core.excel.importer import ImportResult, check_headers, import_file, import_rows
from gongzhi.core.excel.spec import ListSpec, get_spec
from gongzhi.core.models import ImportJob

INLINE_MAX_ROWS = 2000
CRASHED = [{"row": None, "column": "", "message": "导入时发生系统错误，未写入任何数据，请联系管理员"}]


def _finish(job: ImportJob, result: ImportResult) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE if result.ok else ImportJob.Status.FAILED,
        errors=result.errors, created_rows=result.created, updated_rows=result.updated,
        unchanged_rows=result.unchanged, finished_at=timezone.now(),
        **({"processed_rows": result.total, "total_rows": result.total} if result.ok else {}),
    )
    job.refresh_from_db()


def start_import(spec: ListSpec, upload, user) -> ImportJob:
    """Check the upload's header row, then import it now (small) or queue it (large). The caller has checked
    that ``user`` may import this list."""
    from gongzhi.core.tasks import run_import_job

    job = ImportJob.objects.create(kind=spec.kind, user=user, original_name=upload.name[:255],
                                   status=ImportJob.Status.VALIDATING)
    result = ImportResult()
    try:
        sheet = open_sheet(upload)
    except CellError as e:
        result.error(None, "", str(e))
        _finish(job, result)
        return job
    positions = check_headers(spec, sheet.headers, result)
    if result.errors:
        _finish(job, result)
        return job
    rows = sheet.rows(limit=INLINE_MAX_ROWS + 1)
    if len(rows) <= INLINE_MAX_ROWS:
        try:
            result = import_rows(spec, positions, rows, user)
        except Exception:
            ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CRASHED, errors=CRASHED,
                                                       finished_at=timezone.now())
            raise
        _finish(job, result)
        return job
    upload.seek(0)
    job.status = ImportJob.Status.PENDING
    job.file.save(f"{spec.kind}.xlsx", upload, save=True)
    run_import_job.enqueue(job.pk)
    job.refresh_from_db()
    return job


def run_job(job_id: int) -> None:
    """Run one queued ImportJob; progress is written in its own short updates, outside the data transaction."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    jobs = ImportJob.objects.filter(pk=job.pk)
    jobs.update(status=ImportJob.Status.VALIDATING)
    try:
        spec = get_spec(job.kind)
        if not spec.may_import(job.user):
            result = ImportResult()
            result.error(None, "", "您没有导入该清单的权限")
        else:
            with job.file.open("rb") as fh:
                result = import_file(
                    spec, fh, job.user,
                    progress=lambda done, total: jobs.update(processed_rows=done),
                    on_total=lambda total: jobs.update(total_rows=total),
                    on_write=lambda: jobs.update(status=ImportJob.Status.WRITING),
                )
    except Exception:
        jobs.update(status=ImportJob.Status.CRASHED, finished_at=timezone.now(), errors=CRASHED)
        raise
    finally:
        job.file.delete(save=False)  # the upload may hold personal data: keep only the outcome
        jobs.update(file="")
    _finish(job, result)
