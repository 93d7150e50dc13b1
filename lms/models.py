"""People (custom user, structures, territories), the home page and site-wide settings."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page

from .blocks import CallToActionBlock
from .identity import normalise_email
from .markdown import render_markdown


class Territory(models.Model):
    """A territory of the national programme (TZEE) where ensembliers work."""

    name = models.CharField("nom", max_length=120, unique=True)
    slug = models.SlugField("identifiant", max_length=80, unique=True)
    departments = models.CharField(
        "départements", max_length=60, blank=True, help_text="Codes séparés par des virgules."
    )
    joined_on = models.DateField("entré dans le programme le", null=True, blank=True)

    class Meta:
        verbose_name = "territoire"
        verbose_name_plural = "territoires"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Structure(models.Model):
    """The employer of a trainee or trainer (local authority, association, operator…)."""

    class Kind(models.TextChoices):
        COLLECTIVITE = "collectivite", "Collectivité / CCAS"
        ASSOCIATION = "association", "Association"
        OPERATEUR = "operateur", "Opérateur habitat (Soliha…)"
        BAILLEUR = "bailleur", "Bailleur social"
        ENTREPRISE = "entreprise", "Entreprise"
        AUTRE = "autre", "Autre"

    name = models.CharField("nom", max_length=200, unique=True)
    kind = models.CharField("type", max_length=20, choices=Kind.choices, default=Kind.ASSOCIATION)
    territory = models.ForeignKey(
        Territory,
        verbose_name="territoire",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="structures",
    )
    city = models.CharField("ville", max_length=120, blank=True)

    class Meta:
        verbose_name = "structure"
        verbose_name_plural = "structures"
        ordering = ["name"]

    def __str__(self):
        return self.name


EMAIL_TAKEN = "Cette adresse e-mail est déjà utilisée par un autre compte."


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email):
        """Every address the manager sees is in `lms.identity.normalise_email` form."""
        return normalise_email(email)

    def _create_user(self, email, password, **extra_fields):
        email = self.normalize_email(email)
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        """The login lookup: exact match on the normalised address (one row at most, thanks to
        the case-insensitive unique constraint; the index serves it)."""
        return self.get(**{self.model.USERNAME_FIELD: normalise_email(username)})


class User(AbstractUser):
    """A person of the platform; the e-mail address is the login."""

    username = None
    email = models.EmailField("adresse e-mail", unique=True)
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    structure = models.ForeignKey(
        Structure,
        verbose_name="structure employeuse",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    territory = models.ForeignKey(
        Territory,
        verbose_name="territoire",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        ordering = ["last_name", "first_name"]
        constraints = [
            # One identity per address whatever its case, even for rows written without the
            # model (raw SQL, bulk_create); lms.0007 reports existing duplicates first.
            models.UniqueConstraint(
                Lower("email"),
                name="lms_user_email_ci_unique",
                violation_error_message=EMAIL_TAKEN,
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = normalise_email(self.email)

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()


class HomePage(Page):
    """The site's root page: what the training is, and where to go next."""

    intro = models.TextField("introduction", blank=True, help_text="Markdown.")
    calls_to_action = StreamField(
        [("call_to_action", CallToActionBlock())],
        verbose_name="appels à l'action",
        blank=True,
        use_json_field=True,
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("calls_to_action"),
    ]

    # Only one home page: it is the root of the site.
    max_count = 1
    # The same for every visitor: stored whole for them (lms.pagecache).
    cached_for_visitors = True
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = "page d'accueil"

    @property
    def intro_html(self):
        return render_markdown(self.intro)


@register_setting(icon="cog")
class SiteSettings(BaseGenericSetting):
    """Site-wide values editable by administrators."""

    organisation_name = models.CharField(
        "organisme de formation", max_length=200, default="Collectif STOP Exclusion Énergétique"
    )
    contact_email = models.EmailField("e-mail de contact", default="contact@ensemblier.example")
    footer_text = models.TextField("texte du pied de page", blank=True, help_text="Markdown.")
    # What the certificat de réalisation and the attendance sheet must name (Code du travail
    # L6353-1, R6332-26; numéro de déclaration d'activité: L6351-1).
    organisation_siret = models.CharField(
        "SIRET de l'organisme",
        max_length=14,
        blank=True,
        validators=[RegexValidator(r"^\d{14}$", "Le SIRET compte 14 chiffres, sans espace.")],
    )
    organisation_nda = models.CharField(
        "numéro de déclaration d'activité",
        max_length=11,
        blank=True,
        validators=[
            RegexValidator(r"^\d{11}$", "Le numéro de déclaration d'activité compte 11 chiffres.")
        ],
        help_text="Enregistré auprès du préfet de région ; 11 chiffres.",
    )
    organisation_address = models.TextField("adresse de l'organisme", blank=True)
    signatory_name = models.CharField("nom du ou de la signataire", max_length=150, blank=True)
    signatory_role = models.CharField("fonction du ou de la signataire", max_length=150, blank=True)
    signature_place = models.CharField(
        "lieu de signature",
        max_length=120,
        blank=True,
        help_text="« Fait à … » sur les attestations.",
    )

    panels = [
        FieldPanel("organisation_name"),
        FieldPanel("contact_email"),
        FieldPanel("footer_text"),
        MultiFieldPanel(
            [
                FieldPanel("organisation_siret"),
                FieldPanel("organisation_nda"),
                FieldPanel("organisation_address"),
                FieldPanel("signatory_name"),
                FieldPanel("signatory_role"),
                FieldPanel("signature_place"),
            ],
            heading="Organisme de formation (attestations et feuilles d'émargement)",
        ),
    ]

    def training_body(self):
        """The organisation as the legal documents name it (an `lms.pdf.TrainingBody`)."""
        from .pdf import TrainingBody

        return TrainingBody(
            name=self.organisation_name,
            siret=self.organisation_siret,
            nda=self.organisation_nda,
            address=self.organisation_address,
            signatory_name=self.signatory_name,
            signatory_role=self.signatory_role,
            place=self.signature_place,
        )

    class Meta:
        verbose_name = "paramètres du site"
