"""Platform-wide models: background import jobs."""

from uuid import uuid4

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def import_upload_to(instance, filename: str) -> str:
    """An unguessable name: the upload may hold personal data. The file is deleted once the job has run."""
    return f"imports/{uuid4().hex}.xlsx"


class ImportJob(models.Model):
    """One Excel import of a list (see gongzhi.core.excel.jobs): run in the request when small, else by the
    background worker (gongzhi.core.tasks).

    Progress (`processed_rows` of `total_rows`) is written while the file is validated; the rows
    themselves are written afterwards in one transaction, all or nothing.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        VALIDATING = "validating", _("Checking")
        WRITING = "writing", _("Saving")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported (errors)")
        CRASHED = "crashed", _("System error")

    kind = models.CharField(_("list"), max_length=40)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs")
    file = models.FileField(_("file"), upload_to=import_upload_to, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_rows = models.PositiveIntegerField(default=0)
    updated_rows = models.PositiveIntegerField(default=0)
    unchanged_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED, self.Status.CRASHED}

    @property
    def imported_rows(self) -> int:
        return self.created_rows + self.updated_rows + self.unchanged_rows

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
