from django.db import migrations


def add_service_areas(apps, schema_editor):
    from mutualwatch.register.vocabulary import SERVICE_AREAS

    ServiceArea = apps.get_model("register", "ServiceArea")
    for code, name, description in SERVICE_AREAS:
        ServiceArea.objects.update_or_create(
            code=code, defaults={"name": name, "description": description}
        )


class Migration(migrations.Migration):
    dependencies = [("register", "0001_initial")]

    operations = [migrations.RunPython(add_service_areas, migrations.RunPython.noop)]
