def test_source_addresses_are_valid_urls_even_for_names_with_spaces_and_apostrophes():
    from django.core.validators import URLValidator

    from mutualwatch.demoworld.histories import url_safe

    path = url_safe("Drumley Forest/St Mary's papers/2000")
    URLValidator()(f"https://democracy.example.org/{path}/4643ef4c")
    assert path == "drumley-forest/st-mary-s-papers/2000"
