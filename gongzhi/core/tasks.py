"""Background tasks (django-tasks). `gongzhi serve` starts the database worker that runs them."""

from django_tasks import task


@task()
def run_import_job(job_id: int) -> None:
    """Validate and (if the whole file is clean) import one Excel file of any list."""
    from gongzhi.core.excel.jobs import run_job

    run_job(job_id)
