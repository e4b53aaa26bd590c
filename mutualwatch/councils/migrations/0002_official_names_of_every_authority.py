"""Every authority's official name among the spellings buyers are resolved by: until now only
``import-authorities`` recorded them, so an authority recorded otherwise (the register's import,
the admin) was never recognised by name. From now on ``councils.signals`` keeps them."""

from django.db import migrations


def record_official_names(apps, schema_editor):  # type: ignore[no-untyped-def]
    from mutualwatch.councils.importers import normalise_authority_name, spelling_key

    Authority = apps.get_model("register", "Authority")
    AuthorityName = apps.get_model("councils", "AuthorityName")
    known = set(AuthorityName.objects.values_list("spelling", flat=True))
    for authority in Authority.objects.all():
        key = spelling_key(authority.name)
        if key and key not in known:
            AuthorityName.objects.create(
                spelling=key,
                normalised=normalise_authority_name(authority.name),
                name=authority.name,
                registry_code=authority.registry_code,
                authority=authority,
                source="register",
            )
            known.add(key)


class Migration(migrations.Migration):
    dependencies = [("councils", "0001_initial"), ("register", "0005_provider_name_order")]

    operations = [migrations.RunPython(record_official_names, migrations.RunPython.noop)]
