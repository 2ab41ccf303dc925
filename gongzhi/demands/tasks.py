"""Background jobs of the demands app (django-tasks).

`check_overdue_demands` marks overdue demands, notifies and escalates them (see `services.check_overdue`).
django-tasks has no scheduler: enqueue it from cron with ``gongzhi manage check_overdue --enqueue`` (the database
worker ``gongzhi manage db_worker`` runs it), or run the check inline with ``gongzhi manage check_overdue``.
"""

from django_tasks import task

from gongzhi.demands import services


@task()
def check_overdue_demands() -> int:
    return len(services.check_overdue())
