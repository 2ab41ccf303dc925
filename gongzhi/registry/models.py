"""The registry: region tree, party organizations and members, member units, liaisons, teams and
service places. Every model is audited (django-simple-history) and declares how it is scoped."""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongzhi.core.fields import EncryptedCharField, LookupHashField
from gongzhi.core.masking import mask_id_number, mask_phone

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$",
    _("A code uses letters, digits, '-' and '_' (at most 40 characters)."),
)
phone_validator = RegexValidator(
    r"^(1\d{10}|0\d{2,3}-?\d{7,8}|\d{7,8})$", _("Enter a valid mobile or landline number.")
)
id_number_validator = RegexValidator(r"^\d{17}[\dXx]$", _("Enter a valid 18-character ID number."))


class RegionKind(models.TextChoices):
    DISTRICT = "district", _("District")
    SUBDISTRICT = "subdistrict", _("Sub-district")
    RESIDENTIAL_AREA = "residential_area", _("Residential area")
    GRID = "grid", _("Micro-grid")


# Which kind may sit under which.
REGION_CHILD_KIND = {
    None: RegionKind.DISTRICT,
    RegionKind.DISTRICT: RegionKind.SUBDISTRICT,
    RegionKind.SUBDISTRICT: RegionKind.RESIDENTIAL_AREA,
    RegionKind.RESIDENTIAL_AREA: RegionKind.GRID,
}


class Region(models.Model):
    """A node of the tree 区 → 街道/镇 → 居民区 → 微网格. `path` is the chain of ids, e.g. "/1/4/9/",
    so a subtree is `path__startswith` (one indexed query)."""

    kind = models.CharField(_("kind"), max_length=20, choices=RegionKind.choices)
    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=80)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    residents_committee = models.CharField(_("residents' committee"), max_length=80, blank=True)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)

    history = HistoricalRecords()
    scope_region_lookups = ("path",)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["depth", "code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        with transaction.atomic():
            if self.pk is None:
                # The path holds our own id, known only after the insert: fix it (and the creation's
                # history row) with plain UPDATEs so the audit trail shows one "created" entry.
                super().save(*args, **kwargs)
                self._compute_path()
                Region.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)
                Region.history.filter(id=self.pk).update(path=self.path, depth=self.depth)
                return
            old_path = Region.objects.filter(pk=self.pk).values_list("path", flat=True).first()
            self._compute_path()
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                for child in Region.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                    path = self.path + child.path[len(old_path):]
                    Region.objects.filter(pk=child.pk).update(path=path, depth=path.count("/") - 2)

    def clean(self):
        parent_kind = self.parent.kind if self.parent_id else None
        if parent_kind == RegionKind.GRID:
            raise ValidationError({"parent": _("A micro-grid has no sub-regions.")})
        expected = REGION_CHILD_KIND.get(parent_kind)
        if self.kind and expected and self.kind != expected:
            raise ValidationError(
                {"parent": _("A %(kind)s must sit under a %(parent)s.")
                 % {"kind": self.get_kind_display(), "parent": self.parent.get_kind_display() if self.parent_id else "—"}}
            )
        if self.boundary is not None:
            if not isinstance(self.boundary, dict) or self.boundary.get("type") not in {
                "Polygon", "MultiPolygon", "Feature", "FeatureCollection"
            }:
                raise ValidationError({"boundary": _("The boundary must be a GeoJSON Polygon or MultiPolygon.")})

    def _compute_path(self) -> None:
        prefix = self.parent.path if self.parent_id else "/"
        self.path = f"{prefix}{self.pk}/"
        self.depth = self.path.count("/") - 2

    def ancestors(self):
        ids = [int(x) for x in self.path.strip("/").split("/")[:-1] if x]
        by_id = {r.pk: r for r in Region.objects.filter(pk__in=ids)}
        return [by_id[i] for i in ids if i in by_id]

    def ancestor_of_kind(self, kind: str) -> Region | None:
        """This region or its nearest ancestor of `kind` (None when there is none)."""
        if self.kind == kind:
            return self
        return next((r for r in self.ancestors() if r.kind == kind), None)

    def subdistrict(self) -> Region:
        """The sub-district this region lies in (itself for a sub-district, and for a region above one)."""
        return self.ancestor_of_kind(RegionKind.SUBDISTRICT) or self

    def descendants(self, include_self: bool = False):
        qs = Region.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)


class Scoped(models.Model):
    """Mixin for rows that belong to one region node."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    scope_region_lookups = ("region__path",)

    class Meta:
        abstract = True


class BuildingKind(models.TextChoices):
    RESIDENTIAL = "residential", _("Residential building")
    OFFICE = "office", _("Office tower")


NEARBY_METRES = 300  # a point farther than this from every building has no building
METRES_PER_DEGREE = 111_320  # of latitude, and of longitude at the equator


def metres_between(lat: float, lon: float, other_lat: float, other_lon: float) -> float:
    """Distance in metres, flat-earth (exact enough within a few hundred metres)."""
    x = (other_lon - lon) * METRES_PER_DEGREE * math.cos(math.radians(lat))
    return math.hypot(x, (other_lat - lat) * METRES_PER_DEGREE)


class BuildingQuerySet(models.QuerySet):
    def nearest(self, lat, lon, within_metres: float = NEARBY_METRES) -> Building | None:
        """The building of this queryset nearest to the point, if one is within `within_metres` (equally near:
        the older one). Reads the buildings in a small box around the point through the (latitude, longitude)
        index, widening the box twice while no building is near enough."""
        lat, lon = float(lat), float(lon)
        metres_per_lon = METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01)
        for metres in (within_metres / 4, within_metres / 2, within_metres):
            # every building within `metres` lies in this box (one metre more: the bounds are rounded to 6 places)
            dlat, dlon = (metres + 1) / METRES_PER_DEGREE, (metres + 1) / metres_per_lon
            candidates = self.filter(latitude__range=(lat - dlat, lat + dlat),
                                     longitude__range=(lon - dlon, lon + dlon))
            near = [(d, b.pk, b) for b in candidates
                    if (d := metres_between(lat, lon, float(b.latitude), float(b.longitude))) <= metres]
            if near:
                return min(near, key=lambda n: n[:2])[2]
        return None


class Estate(models.Model):
    """小区: a housing estate inside a residential area, between the area and its buildings. It has a property
    company and (see the deliberation app) an owners' committee and a council."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=80)
    area = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="estates",
                             verbose_name=_("residential area"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    property_company = models.CharField(_("property company"), max_length=120, blank=True)
    property_unit = models.ForeignKey(
        "MemberUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="managed_estates",
        verbose_name=_("property company (member unit)"),
    )
    property_contact = models.CharField(_("property contact"), max_length=40, blank=True)
    property_phone = EncryptedCharField(_("property phone"), max_length=20, blank=True, validators=[phone_validator])
    built_year = models.PositiveSmallIntegerField(_("built in"), null=True, blank=True)

    history = HistoricalRecords()
    scope_region_lookups = ("area__path",)
    personal_fields = ("property_phone",)

    class Meta:
        verbose_name = _("estate")
        verbose_name_plural = _("estates")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.area_id and self.area.kind != RegionKind.RESIDENTIAL_AREA:
            raise ValidationError({"area": _("An estate lies in a residential area.")})


class Building(models.Model):
    """楼栋 (in a grid) or 楼宇 (office tower). `region` is the grid (or the area for a tower)."""

    kind = models.CharField(_("kind"), max_length=20, choices=BuildingKind.choices, default=BuildingKind.RESIDENTIAL)
    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=80)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("grid"))
    estate = models.ForeignKey(Estate, null=True, blank=True, on_delete=models.SET_NULL, related_name="buildings",
                               verbose_name=_("estate"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    floors = models.PositiveSmallIntegerField(_("floors"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    is_key_building = models.BooleanField(_("key building"), default=False)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    history = HistoricalRecords()
    scope_region_lookups = ("region__path",)
    objects = BuildingQuerySet.as_manager()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["code"]
        indexes = [models.Index(fields=["latitude", "longitude"], name="registry_building_location")]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.estate_id and self.region_id and not self.region.path.startswith(self.estate.area.path):
            raise ValidationError({"estate": _("The building lies outside the estate's residential area.")})


class MemberUnitKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    PUBLIC_INSTITUTION = "public_institution", _("Public institution")
    HOSPITAL = "hospital", _("Hospital")
    SCHOOL = "school", _("School")
    SOCIAL_ORGANIZATION = "social_organization", _("Social organization")
    GOVERNMENT_DEPARTMENT = "government_department", _("Government department")


class MemberUnit(models.Model):
    """共建单位: a unit joined in regional co-building."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=30, choices=MemberUnitKind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="member_units", verbose_name=_("region"))
    building = models.ForeignKey(
        Building, null=True, blank=True, on_delete=models.SET_NULL, related_name="member_units",
        verbose_name=_("building"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    headcount = models.PositiveIntegerField(_("headcount"), default=0)
    has_party_org = models.BooleanField(_("has its own party organization"), default=False)
    is_two_new = models.BooleanField(_("two-new organization"), default=False)
    in_joint_meeting = models.BooleanField(_("member of the joint meeting"), default=False)
    contact_name = models.CharField(_("contact person"), max_length=40, blank=True)
    contact_phone = EncryptedCharField(_("contact phone"), max_length=20, blank=True, validators=[phone_validator])
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    history = HistoricalRecords()
    scope_region_lookups = ("region__path",)
    scope_unit_lookups = ("pk",)
    personal_fields = ("contact_phone",)  # masked by `gongzhi.core.masking` for viewers without personal data

    class Meta:
        verbose_name = _("member unit")
        verbose_name_plural = _("member units")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_contact_phone(self) -> str:
        return mask_phone(self.contact_phone)


class PartyOrgKind(models.TextChoices):
    WORKING_COMMITTEE = "working_committee", _("Working committee (党工委)")
    COMMITTEE = "committee", _("Party committee (党委)")
    JOINT_COMMITTEE = "joint_committee", _("Joint party committee (联合党委)")
    GENERAL_BRANCH = "general_branch", _("General branch (党总支)")
    BRANCH = "branch", _("Branch (党支部)")


class PartyOrg(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=30, choices=PartyOrgKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="party_orgs", verbose_name=_("region"))
    member_unit = models.ForeignKey(
        MemberUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="party_orgs",
        verbose_name=_("member unit"),
    )
    secretary = models.ForeignKey(
        "PartyMember", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("secretary")
    )
    committee_members = models.ManyToManyField(
        "PartyMember", blank=True, related_name="committee_of", verbose_name=_("committee members")
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[committee_members])
    scope_region_lookups = ("region__path",)
    scope_unit_lookups = ("member_unit_id",)

    class Meta:
        verbose_name = _("party organization")
        verbose_name_plural = _("party organizations")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.parent_id and self.pk:
            node = self.parent
            while node is not None:
                if node.pk == self.pk:
                    raise ValidationError({"parent": _("An organization cannot sit under itself.")})
                node = node.parent


class MemberStatus(models.TextChoices):
    FULL = "full", _("Full member")
    PROBATIONARY = "probationary", _("Probationary member")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class PartyMember(models.Model):
    name = models.CharField(_("name"), max_length=40)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    organization = models.ForeignKey(
        PartyOrg, on_delete=models.PROTECT, related_name="members", verbose_name=_("party organization")
    )
    status = models.CharField(_("status"), max_length=20, choices=MemberStatus.choices, default=MemberStatus.FULL)
    joined_on = models.DateField(_("joined the party on"), null=True, blank=True)
    phone = EncryptedCharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    id_number = EncryptedCharField(_("ID number"), max_length=18, blank=True, validators=[id_number_validator])
    address = EncryptedCharField(_("home address"), max_length=200, blank=True)
    phone_hash = LookupHashField(of="phone")  # duplicate checks
    id_number_hash = LookupHashField(of="id_number")
    is_mobile = models.BooleanField(_("mobile member"), default=False)
    registered_area = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.SET_NULL, related_name="registered_members",
        verbose_name=_("registered at residential area"),
    )
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    grid = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.SET_NULL, related_name="grid_members",
        verbose_name=_("serving grid"),
    )
    user = models.OneToOneField(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="party_member"
    )

    history = HistoricalRecords()
    # Visible to the organization's region and, for a registered working member, the area served.
    scope_region_lookups = ("organization__region__path", "registered_area__path")
    scope_unit_lookups = ("organization__member_unit_id",)
    personal_fields = ("phone", "id_number", "address")

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        ordering = ["organization__code", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_community_registered(self) -> bool:
        return self.registered_area_id is not None

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    def clean(self):
        if self.registered_area_id and self.registered_area.kind != RegionKind.RESIDENTIAL_AREA:
            raise ValidationError({"registered_area": _("Members register at a residential area.")})
        if self.grid_id and self.grid.kind != RegionKind.GRID:
            raise ValidationError({"grid": _("Choose a micro-grid.")})


class Liaison(models.Model):
    """楼宇联络员 (one or two per key office building) and 首席联络员 above them."""

    name = models.CharField(_("name"), max_length=40)
    phone = EncryptedCharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="liaisons", verbose_name=_("sub-district"))
    is_chief = models.BooleanField(_("chief liaison"), default=False)
    chief = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="team", verbose_name=_("chief liaison"),
        limit_choices_to={"is_chief": True},
    )
    buildings = models.ManyToManyField(Building, blank=True, related_name="liaisons", verbose_name=_("buildings"))
    user = models.OneToOneField("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="liaison")

    history = HistoricalRecords(m2m_fields=[buildings])
    scope_region_lookups = ("region__path",)
    personal_fields = ("phone",)

    class Meta:
        verbose_name = _("building liaison")
        verbose_name_plural = _("building liaisons")
        ordering = ["-is_chief", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class ProfessionalTeamKind(models.TextChoices):
    URBAN_MANAGEMENT = "urban_management", _("Urban management (城管)")
    HOUSING = "housing", _("Housing office (房办)")
    CITY_APPEARANCE = "city_appearance", _("City appearance (市容)")
    POLICE = "police", _("Community police (社区民警)")
    FIRE = "fire", _("Fire safety (消防)")
    MARKET_SUPERVISION = "market_supervision", _("Market supervision (市场监管)")
    OTHER = "other", _("Other")


class ProfessionalTeam(models.Model):
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=30, choices=ProfessionalTeamKind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="professional_teams", verbose_name=_("region"))
    grids = models.ManyToManyField(Region, blank=True, related_name="sunk_teams", verbose_name=_("grids served"))
    leader_name = models.CharField(_("leader"), max_length=40, blank=True)
    leader_phone = EncryptedCharField(_("leader phone"), max_length=20, blank=True, validators=[phone_validator])

    history = HistoricalRecords(m2m_fields=[grids])
    scope_region_lookups = ("region__path", "grids__path")
    personal_fields = ("leader_phone",)
    scope_needs_distinct = True

    class Meta:
        verbose_name = _("professional team")
        verbose_name_plural = _("professional teams")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class VolunteerTeam(models.Model):
    name = models.CharField(_("name"), max_length=80)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="volunteer_teams", verbose_name=_("region"))
    member_unit = models.ForeignKey(
        MemberUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="volunteer_teams",
        verbose_name=_("member unit"),
    )
    speciality = models.CharField(_("speciality"), max_length=120, blank=True)
    leader_name = models.CharField(_("leader"), max_length=40, blank=True)
    leader_phone = EncryptedCharField(_("leader phone"), max_length=20, blank=True, validators=[phone_validator])
    member_count = models.PositiveIntegerField(_("members"), default=0, validators=[MinValueValidator(0)])

    history = HistoricalRecords()
    scope_region_lookups = ("region__path",)
    scope_unit_lookups = ("member_unit_id",)
    personal_fields = ("leader_phone",)

    class Meta:
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServicePlaceKind(models.TextChoices):
    CENTRE = "centre", _("Party-building service centre")
    STATION = "station", _("Service station")


class ServicePlace(models.Model):
    """The 1+N network: one service centre and its stations."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=ServicePlaceKind.choices, default=ServicePlaceKind.STATION)
    centre = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="stations", verbose_name=_("centre"),
        limit_choices_to={"kind": ServicePlaceKind.CENTRE},
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="service_places", verbose_name=_("region"))
    building = models.ForeignKey(
        Building, null=True, blank=True, on_delete=models.SET_NULL, related_name="service_places",
        verbose_name=_("building"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=80, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])

    history = HistoricalRecords()
    scope_region_lookups = ("region__path",)

    class Meta:
        verbose_name = _("service place")
        verbose_name_plural = _("service places")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.kind == ServicePlaceKind.CENTRE and self.centre_id:
            raise ValidationError({"centre": _("A centre does not belong to another centre.")})


class Household(models.Model):
    """户: one dwelling of a residential building. Its contact phones are encrypted at rest, masked on screens and
    found through their lookup hashes; a phone proven by an SMS code on H5 carries `phone_verified_at`. The flags
    serve later modules (doorstep services, volunteering)."""

    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="household_rows",
                                 verbose_name=_("building"))
    room = models.CharField(_("room"), max_length=20)
    size = models.PositiveSmallIntegerField(_("people"), default=1, validators=[MinValueValidator(1)])
    head_name = models.CharField(_("head of household"), max_length=40, blank=True)
    phone = EncryptedCharField(_("contact phone"), max_length=20, blank=True, validators=[phone_validator])
    phone_hash = LookupHashField(of="phone")
    other_phone = EncryptedCharField(_("other phone"), max_length=20, blank=True, validators=[phone_validator])
    other_phone_hash = LookupHashField(of="other_phone")
    phone_verified_at = models.DateTimeField(_("phone verified at"), null=True, blank=True)
    is_owner_occupied = models.BooleanField(_("owner-occupied"), default=True)
    elderly_living_alone = models.BooleanField(_("elderly living alone"), default=False)
    hardship = models.BooleanField(_("in hardship"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()
    scope_region_lookups = ("building__region__path",)
    personal_fields = ("phone", "other_phone")

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["building__code", "room"]
        constraints = [models.UniqueConstraint(fields=["building", "room"], name="registry_household_unique_room")]

    def __str__(self) -> str:
        return f"{self.building.name} {self.room}"

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    def clean(self):
        if self.building_id and self.building.kind != BuildingKind.RESIDENTIAL:
            raise ValidationError({"building": _("Households live in residential buildings.")})
