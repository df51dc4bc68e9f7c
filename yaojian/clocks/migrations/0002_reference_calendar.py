"""Load the vendored holiday calendar (2025–2027)."""

from django.db import migrations


def load(apps, schema_editor):
    from yaojian.clocks.reference import reference_days, reference_years

    CalendarYear = apps.get_model("clocks", "CalendarYear")
    CalendarDay = apps.get_model("clocks", "CalendarDay")
    for row in reference_years():
        CalendarYear.objects.get_or_create(
            year=int(row["year"]), defaults={"status": row["status"], "source": row["source"]}
        )
    existing = set(CalendarDay.objects.values_list("date", flat=True))
    CalendarDay.objects.bulk_create(
        CalendarDay(date=day, kind=kind, name=name)
        for day, kind, name in reference_days()
        if day not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("clocks", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
