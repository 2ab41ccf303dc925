"""Platform-wide models: background import jobs, and the record of each reveal of personal data."""

from uuid import uuid4

from django.conf import settings
from django.db import models
from django.utils import timezone
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


class AppendOnlyQuerySet(models.QuerySet):
    """Rows that are written once and never changed nor deleted through the application."""

    def update(self, **kwargs):
        raise PermissionError("append-only")

    def delete(self):
        raise PermissionError("append-only")


class Reveal(models.Model):
    """One reveal of personal data: a user asked to see an object's personal fields unmasked (its detail page) or to
    export a list with its personal columns, giving a reason. Screens and exports mask personal data by default,
    also for those who may see it (gongzhi.core.masking); each reveal leaves one of these rows, which the audit page
    lists. Append-only: a row is never changed nor deleted (the user's name is kept should the account go)."""

    class Kind(models.TextChoices):
        OBJECT = "object", _("Detail page")
        EXPORT = "export", _("Export")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("user"))
    username = models.CharField(_("username"), max_length=150)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    model = models.CharField(_("kind of object"), max_length=100, blank=True)  # "app_label.Model" of an object
    object_id = models.CharField(_("object ID"), max_length=40, blank=True)
    list_kind = models.CharField(_("list"), max_length=40, blank=True)  # the Excel list's slug of an export
    label = models.CharField(_("what"), max_length=200)  # the object as its page names it, or the list's title
    filters = models.JSONField(_("filters"), default=dict, blank=True)  # an export's list filters
    fields = models.JSONField(_("fields"), default=list)  # the personal fields shown, by their names
    reason = models.CharField(_("reason"), max_length=200)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("reveal of personal data")
        verbose_name_plural = _("reveals of personal data")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.username} · {self.label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("append-only")


class NamedLock(models.Model):
    """A row to lock by name (gongzhi.core.services.hold_lock): it serializes transactions that check a rule over
    rows which do not exist yet, such as a phone's count of booked appointments. It holds no data of its own; the
    name carries no personal data (a phone goes in as its lookup hash)."""

    key = models.CharField(max_length=120, unique=True)

    class Meta:
        verbose_name = _("lock")
        verbose_name_plural = _("locks")

    def __str__(self) -> str:
        return self.key
