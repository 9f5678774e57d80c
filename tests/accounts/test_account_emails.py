"""Account e-mails and greetings in the site's own voice: its name and address from settings,
never the host a request came in on; "Welcome" on a first sign-in, "Welcome back" after."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory

HOST = "internal-web-7.cluster.local"
SIGNUP = {
    "display_name": "Gentle Heron",
    "email": "heron@example.org",
    "password1": "a-long-and-kind-passphrase",
    "password2": "a-long-and-kind-passphrase",
    "health_consent": "on",
}


@pytest.fixture
def site(settings):
    settings.SITE_NAME = "Harbour Peer Support"
    settings.SITE_URL = "https://harbour.example.org"
    settings.CONTACT_EMAIL = "hello@harbour.example.org"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    return settings


def _client() -> Client:
    return Client(HTTP_HOST=HOST)


def _assert_in_the_sites_voice(message) -> None:
    text = f"{message.subject}\n{message.body}"
    assert "Harbour Peer Support" in message.body
    assert HOST not in text
    assert "example.com" not in text
    assert "Hello from" not in text
    assert "hello@harbour.example.org" in message.body
    assert "https://harbour.example.org/contact/" in message.body
    links = re.findall(r"https?://\S+", message.body)
    assert links and all(link.startswith("https://harbour.example.org/") for link in links)


def test_the_sign_up_e_mail_names_the_site_and_links_to_site_url(site, db):
    _client().post(reverse("account_signup"), SIGNUP)
    (message,) = mail.outbox
    _assert_in_the_sites_voice(message)
    assert message.subject == "Welcome to Harbour Peer Support: please confirm your e-mail address"
    assert "Gentle Heron" not in message.subject
    assert re.search(r"https://harbour\.example\.org/accounts/confirm-email/\S+/", message.body)


def test_the_password_reset_e_mail_names_the_site_and_its_link_works(site, db):
    UserFactory(email="ivy@example.org")
    _client().post(reverse("account_reset_password"), {"email": "ivy@example.org"})
    (message,) = mail.outbox
    _assert_in_the_sites_voice(message)
    assert message.subject == "Choose a new password for Harbour Peer Support"
    path = re.search(
        r"https://harbour\.example\.org(/accounts/password/reset/key/\S+/)", message.body
    )
    response = _client().get(path.group(1), follow=True)
    assert "Choose a new password" in response.content.decode()
    assert response.context["form"] is not None  # the key was good: the form, not "expired"


def test_a_reset_for_an_unknown_address_says_so_in_the_sites_voice(site, db):
    _client().post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    (message,) = mail.outbox
    _assert_in_the_sites_voice(message)
    assert "there is no account with it" in message.body


def test_a_password_change_is_confirmed_by_e_mail_in_the_sites_voice(site, db):
    user = UserFactory(email="ivy@example.org")
    client = _client()
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": TEST_PASSWORD,
            "password1": "another-kind-passphrase",
            "password2": "another-kind-passphrase",
        },
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    _assert_in_the_sites_voice(message)
    assert message.subject == "Your Harbour Peer Support password was changed"
    assert "Your password was changed." in message.body


def test_the_pages_title_and_header_use_the_site_name(site, db):
    html = _client().get(reverse("account_login")).content.decode()
    assert "<title>Sign in · Harbour Peer Support</title>" in html
    assert "Join Harbour Peer Support" in html


def _sign_in(client: Client, email: str, password: str = TEST_PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_a_first_sign_in_says_welcome_and_the_next_one_welcome_back(db):
    UserFactory(email="wren@example.org", display_name="Wren")  # e.g. made by an administrator
    first = Client()
    assert _sign_in(first, "wren@example.org").status_code == 302
    html = first.get(reverse("home")).content.decode()
    assert "Welcome, Wren." in html and "Welcome back" not in html
    second = Client()
    _sign_in(second, "wren@example.org")
    html = second.get(reverse("home")).content.decode()
    assert "Welcome back, Wren." in html


def test_a_new_member_is_welcomed_not_welcomed_back(client, db):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.url == reverse("welcome:welcome")
    assert "Welcome, Gentle Heron" in client.get(response.url).content.decode()
    assert "Welcome back" not in client.get(reverse("home")).content.decode()


def test_notification_e_mails_name_the_site_too(site, db, django_capture_on_commit_callbacks):
    from peersupport.notifications import services
    from peersupport.notifications.models import Kind

    user = UserFactory(email="ivy@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=user, kind=Kind.REPLY_TO_MY_STORY, url="/x/", text="A reply")
    (message,) = mail.outbox
    assert "Harbour Peer Support is peer support, not a crisis service." in message.body
    assert "Peer Support is peer support" not in message.body.replace("Harbour Peer Support", "")
