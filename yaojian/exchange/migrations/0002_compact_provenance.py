"""Field provenance: one row per statement (entity, department, batch) with the fields as JSON,
instead of one row per field. Existing rows are folded into statements (each field keeps its
batch and time)."""

import django.db.models.deletion
from django.db import migrations, models


def fold_fields(apps, schema_editor):
    """Group the per-field rows by (entity, department, batch, time) into one row each."""
    FieldProvenance = apps.get_model("exchange", "FieldProvenance")
    groups = {}
    for prov in FieldProvenance.objects.order_by("recorded_at", "id").iterator():
        key = (prov.entity_id, prov.department_id, prov.batch_id, prov.recorded_at)
        keep = groups.get(key)
        if keep is None:
            groups[key] = keep = prov
            keep.values = {}
        keep.values[prov.field_name] = prov.value
    kept = list(groups.values())
    FieldProvenance.objects.bulk_update(kept, ["values"], batch_size=500)
    FieldProvenance.objects.exclude(pk__in=[p.pk for p in kept]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_legal_reviewer_role"),
        ("exchange", "0001_initial"),
        ("registry", "0005_licence_number_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="fieldprovenance",
            name="values",
            field=models.JSONField(default=dict, verbose_name="values"),
        ),
        migrations.RunPython(fold_fields, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="fieldprovenance",
            options={
                "ordering": ["entity_id", "department_id", "id"],
                "verbose_name": "field provenance",
                "verbose_name_plural": "field provenance",
            },
        ),
        migrations.RemoveConstraint(
            model_name="fieldprovenance",
            name="exchange_fieldprovenance_entity_department_field_unique",
        ),
        migrations.RemoveField(model_name="fieldprovenance", name="field_name"),
        migrations.RemoveField(model_name="fieldprovenance", name="value"),
        migrations.AlterField(
            model_name="fieldprovenance",
            name="entity",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="field_provenance",
                to="registry.entity",
                verbose_name="entity",
            ),
        ),
        migrations.AddIndex(
            model_name="fieldprovenance",
            index=models.Index(
                fields=["entity", "department", "id"], name="exchange_prov_entity_dept"
            ),
        ),
    ]
