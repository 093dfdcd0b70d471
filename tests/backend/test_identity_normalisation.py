import pytest

from backend.identity import normalise_email, normalise_order_number


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("AZ104233", "AZ104233"),
        ("az104233", "AZ104233"),
        ("AZ-104233", "AZ104233"),
        ("AZ 104233", "AZ104233"),
        ("#104233", "AZ104233"),
        ("104233", "AZ104233"),
        ("commande 104233", "AZ104233"),
        (" commande #AZ104233 ", "AZ104233"),
        ("AZ10423", None),
        ("AZ1042331", None),
        ("BZ104233", None),
        ("bonjour", None),
    ],
)
def test_order_numbers_are_normalised_to_az_and_six_digits(raw, number):
    assert normalise_order_number(raw) == number


@pytest.mark.parametrize(
    ("raw", "email"),
    [
        (" Marie.Tremblay@Exemple.CA ", "marie.tremblay@exemple.ca"),
        ("marie@exemple", None),
        ("pas un courriel", None),
    ],
)
def test_emails_are_lower_cased_and_shape_checked(raw, email):
    assert normalise_email(raw) == email
