"""Seed the territories of the TZEE programme (shared/domain/training.md §2.2).

Eleven were selected on 7 July 2023 and four joined on 26 September 2023 (TZEE press release).
Reference data lives in this migration so that every database has it, seeded or not.
"""

import datetime

from django.db import migrations

SELECTED = datetime.date(2023, 7, 7)
JOINED = datetime.date(2023, 9, 26)
TERRITORIES = [
    ("Paris", "paris", "75", SELECTED),
    ("Marseille", "marseille", "13", SELECTED),
    ("Strasbourg", "strasbourg", "67", SELECTED),
    ("Besançon", "besancon", "25", SELECTED),
    ("Tourcoing", "tourcoing", "59", SELECTED),
    ("CC Campagnes de l'Artois", "campagnes-de-l-artois", "62", SELECTED),
    ("Kreiz Breizh", "kreiz-breizh", "22,29,56", SELECTED),
    ("Nord-ouest Compiégnois", "nord-ouest-compiegnois", "60", SELECTED),
    ("Grand Paris Grand Est (Noisy-le-Grand)", "grand-paris-grand-est", "93", SELECTED),
    ("Carcassonne Agglo", "carcassonne-agglo", "11", SELECTED),
    ("Département de la Mayenne", "mayenne", "53", SELECTED),
    ("Grenoble", "grenoble", "38", JOINED),
    ("Le Havre Seine Métropole", "le-havre-seine-metropole", "76", JOINED),
    ("Valence-Romans Agglo", "valence-romans-agglo", "26", JOINED),
    ("Saint-Priest", "saint-priest", "69", JOINED),
]


def seed(apps, schema_editor):
    Territory = apps.get_model("lms", "Territory")
    for name, slug, departments, joined_on in TERRITORIES:
        Territory.objects.update_or_create(
            slug=slug, defaults={"name": name, "departments": departments, "joined_on": joined_on}
        )


def unseed(apps, schema_editor):
    apps.get_model("lms", "Territory").objects.filter(
        slug__in=[slug for _, slug, _, _ in TERRITORIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("lms", "0003_roles")]
    operations = [migrations.RunPython(seed, unseed)]
