"""Seed the site, its home page, demo structures and demo accounts (idempotent)."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from wagtail.models import Page, Site

import yaml

from .models import HomePage, Structure, Territory, User

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def load_yaml(name: str):
    path = FIXTURES / name
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@transaction.atomic
def seed_home() -> HomePage:
    home = HomePage.objects.first()
    if home is not None:
        return home
    data = load_yaml("home.yaml")
    root = Page.get_first_root_node()
    welcome = root.get_children().filter(slug="home").first()
    if welcome is not None and welcome.specific_class is Page:
        welcome.delete()
        root.refresh_from_db()
    home = HomePage(
        title=data["title"],
        slug="accueil",
        intro=data["intro"],
        calls_to_action=[
            (
                "call_to_action",
                {
                    "title": item["title"],
                    "text": item.get("text", ""),
                    "button_label": item["button_label"],
                    "page": None,
                    "external_url": item.get("url", ""),
                },
            )
            for item in data.get("calls_to_action", [])
        ],
    )
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Ensemblier",
        )
    else:
        site.root_page = home
        site.site_name = "Ensemblier"
        site.save()
    return home


def seed_structures() -> None:
    for item in load_yaml("structures.yaml"):
        territory = Territory.objects.filter(slug=item.get("territory")).first()
        Structure.objects.get_or_create(
            name=item["name"],
            defaults={"kind": item["kind"], "territory": territory, "city": item.get("city", "")},
        )


def seed_demo_users(stdout=None) -> list[User]:
    if not settings.DEMO_SEED_ALLOWED:
        raise RuntimeError(
            "Les comptes de démonstration ne peuvent pas être créés "
            "avec les réglages de production."
        )
    created = []
    for item in load_yaml("demo_users.yaml"):
        user = User.objects.filter(email__iexact=item["email"]).first()
        if user is not None:
            continue
        structure = Structure.objects.filter(name=item.get("structure")).first()
        territory = Territory.objects.filter(slug=item.get("territory")).first()
        superuser = item["role"] == "superuser"
        factory = User.objects.create_superuser if superuser else User.objects.create_user
        user = factory(
            email=item["email"],
            password=item["password"],
            first_name=item["first_name"],
            last_name=item["last_name"],
            phone=item.get("phone", ""),
            structure=structure,
            territory=territory,
        )
        if not superuser:
            user.groups.add(Group.objects.get(name=item["role"]))
        created.append(user)
        if stdout is not None:
            stdout.write(f"  compte créé : {item['email']} / {item['password']} ({item['role']})")
    return created


def seed(stdout=None) -> None:
    seed_home()
    seed_structures()
    seed_demo_users(stdout)
