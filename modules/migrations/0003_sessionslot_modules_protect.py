"""SessionSlot.modules gets an explicit through model whose FK to the module is PROTECT.

The table `modules_sessionslot_modules` and its columns are those Django created for the
automatic through model, so only the migration state changes (on_delete lives in Python).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("modules", "0002_competencies_and_permissions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="SessionSlotModule",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "modulepage",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="modules.modulepage",
                                verbose_name="module",
                            ),
                        ),
                        (
                            "sessionslot",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="modules.sessionslot",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "module d'une demi-journée",
                        "verbose_name_plural": "modules des demi-journées",
                        "db_table": "modules_sessionslot_modules",
                        "unique_together": {("sessionslot", "modulepage")},
                    },
                ),
                migrations.AlterField(
                    model_name="sessionslot",
                    name="modules",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="session_slots",
                        through="modules.SessionSlotModule",
                        to="modules.modulepage",
                        verbose_name="modules",
                    ),
                ),
            ],
        ),
    ]
