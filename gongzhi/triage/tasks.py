"""Background tasks of triage intelligence (django-tasks): periodic retraining, run by the database worker
(`gongzhi manage db_worker`). Enqueue from cron with `gongzhi manage triage_retrain --enqueue`."""

from django_tasks import task


@task()
def retrain_triage_models(codes: list[str] | None = None, min_rows: int | None = None) -> list[dict]:
    """Retrain the classifier of every sub-district (or those with the given codes)."""
    from gongzhi.triage.services import MIN_ROWS, retrain_all

    return [
        {"subdistrict": sub.code, "model": model.pk if model else None, "active": bool(model and model.active)}
        for sub, model in retrain_all(codes=codes, min_rows=min_rows or MIN_ROWS)
    ]
