import pytest
from django.core.exceptions import ValidationError

from peersupport.accounts.validators import normalise_display_name, validate_display_name


@pytest.mark.parametrize(
    "name", ["Ash", "Quiet Fox", "Morning-Walker", "Zoë", "river_2", "O'Neill sky"]
)
def test_display_name_accepts_ordinary_pseudonyms(name):
    validate_display_name(name)


@pytest.mark.parametrize(
    "name, code",
    [
        ("Al", "length"),
        ("x" * 31, "length"),
        ("me@example.org", "email_like"),
        ("sam (at) mail", "email_like"),
        ("07700 900123", "phone_like"),
        ("+1 (555) 123-4567", "phone_like"),
        ("<script>", "characters"),
        ("Anonymous member", "reserved"),
        ("ADMINISTRATOR", "reserved"),
    ],
)
def test_display_name_refuses_identifying_or_misleading_names(name, code):
    with pytest.raises(ValidationError) as info:
        validate_display_name(name)
    assert info.value.code == code


def test_normalise_collapses_whitespace():
    assert normalise_display_name("  Quiet    Fox ") == "Quiet Fox"
