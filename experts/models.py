from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from trials.models import AtmpType

from .fields import ChoiceListField


class UserManager(BaseUserManager):
    """Users log in with their e-mail address; there is no separate username."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    username = None
    email = models.EmailField("e-mail address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class StakeholderType(models.TextChoices):
    """Who an expert speaks for (domain guide, section 7)."""

    DEVELOPER_ACADEMIC = "developer_academic", "Developer (academic / hospital)"
    DEVELOPER_SME = "developer_sme", "Developer (SME)"
    DEVELOPER_INDUSTRY = "developer_industry", "Developer (industry)"
    CDMO = "cdmo", "CDMO"
    REGULATOR = "regulator", "Regulator / national competent authority"
    HTA_BODY = "hta_body", "HTA body"
    PAYER = "payer", "Payer"
    CLINICIAN = "clinician", "Clinician"
    PATIENT_ORGANISATION = "patient_organisation", "Patient organisation"
    ETHICS_COMMITTEE = "ethics_committee", "Ethics committee"
    FUNDER = "funder", "Funder"
    OTHER = "other", "Other"


class ExpertiseArea(models.Model):
    """One term of the controlled expertise taxonomy, curated in the admin.

    Experts pick areas on their profile; the knowledge section routes questions and
    tags resources with the same terms, so the slug is the stable key.
    """

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)
    ordering = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first in lists.")

    class Meta:
        ordering = ["ordering", "name"]

    def __str__(self) -> str:
        return self.name


class Availability(models.TextChoices):
    """What an expert offers to the community; none ticked means "not available"."""

    SCIENTIFIC_ADVICE = "scientific_advice", "Scientific advice"
    MENTORING = "mentoring", "Mentoring"
    PEER_REVIEW = "peer_review", "Peer review"
    SPEAKING = "speaking", "Speaking"


class ExpertProfileQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(approved_at__isnull=False, user__is_active=True)

    def pending(self):
        return self.filter(approved_at__isnull=True, user__is_active=True)

    def public(self):
        """Profiles any visitor may see: approved and published by their owner."""
        return self.approved().filter(is_public=True)

    def with_atmp_type(self, code: str):
        return self.filter(atmp_types__has=code)

    def offering(self, availability: str):
        return self.filter(availability__has=availability)

    def answering_questions_on(self, area: ExpertiseArea):
        """Approved experts who accept questions in this area: where the knowledge section routes a question."""
        return self.approved().filter(accepts_questions=True, expertise_areas=area)


class ExpertProfile(models.Model):
    """One per account; a curator's approval makes its user an expert."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(max_length=150, blank=True)
    affiliation = models.CharField(max_length=200, blank=True)
    country = CountryField(blank=True)
    stakeholder_type = models.CharField(max_length=32, choices=StakeholderType.choices, blank=True)
    expertise = models.CharField(
        max_length=300, blank=True, help_text="Areas of expertise, e.g. CMC/GMP, non-clinical, HTA."
    )
    bio = models.TextField(blank=True)
    expertise_areas = models.ManyToManyField(ExpertiseArea, blank=True, related_name="experts")
    atmp_types = ChoiceListField("ATMP types", choices=AtmpType.choices, max_length=100)
    availability = ChoiceListField(
        choices=Availability.choices, max_length=100, help_text="Leave all unticked if you are not available."
    )
    accepts_questions = models.BooleanField(
        default=False, help_text="Other members may route questions in your expertise areas to you."
    )
    is_public = models.BooleanField(
        default=False, help_text="Show this profile (never the e-mail address) on the public expert list."
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ExpertProfileQuerySet.as_manager()

    class Meta:
        ordering = ["display_name", "user__email"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.user.get_full_name() or "Unnamed expert"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    def get_absolute_url(self) -> str:
        return reverse("experts:detail", args=[self.pk])

    def is_owned_by(self, user) -> bool:
        return self.user_id == user.pk

    def mark_approved(self, by) -> None:
        self.approved_at = timezone.now()
        self.approved_by = by


class KnowledgeTopic(models.TextChoices):
    """Areas of ATMP expertise (domain guide, section 7)."""

    REGULATORY = "regulatory", "Regulatory"
    CMC_GMP = "cmc_gmp", "CMC, manufacturing and GMP"
    NON_CLINICAL = "non_clinical", "Non-clinical (incl. non-animal methods)"
    CLINICAL = "clinical", "Clinical development"
    HTA_ACCESS = "hta_access", "HTA, market access and health economics"
    ETHICS_LEGAL = "ethics_legal", "Ethics and legal"
    PATIENT_ENGAGEMENT = "patient_engagement", "Patient engagement"
    QUALITY = "quality", "Quality assurance and QP"


class KnowledgeArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=KnowledgeArticle.Status.PUBLISHED)

    def visible_to(self, user):
        """Public articles for everyone; experts also see experts-only ones and their own drafts."""
        from platform_site.permissions import is_curator, is_expert

        if is_curator(user):
            return self
        if is_expert(user):
            return self.filter(models.Q(status=KnowledgeArticle.Status.PUBLISHED) | models.Q(author=user))
        return self.published().filter(audience=KnowledgeArticle.Audience.PUBLIC)


class KnowledgeArticle(models.Model):
    """Guidance, lessons learned or an answer an expert shares, written in Markdown."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    class Audience(models.TextChoices):
        PUBLIC = "public", "Everyone"
        EXPERTS = "experts", "Approved experts only"

    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, blank=True, help_text="One or two sentences shown in the list.")
    body = models.TextField(help_text="Markdown. Links and basic formatting are kept; scripts and raw HTML are not.")
    topic = models.CharField(max_length=32, choices=KnowledgeTopic.choices)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.PUBLIC)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="articles")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False, help_text="Fictional article created by load_demo.")

    history = HistoricalRecords()
    objects = KnowledgeArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-updated_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("experts:article", args=[self.pk])

    def is_owned_by(self, user) -> bool:
        return self.author_id == user.pk

    def publish(self) -> None:
        self.status = self.Status.PUBLISHED
        self.published_at = self.published_at or timezone.now()
