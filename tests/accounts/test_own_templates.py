"""Every allauth page, e-mail and message this site can show is its own (templates/account,
templates/mfa), not the library's default copy ("Verify Your Email Address", "Hello from
<host>!"). A new allauth template in a flow we use fails here until it is written."""

from pathlib import Path

import allauth
import pytest
from django.conf import settings

ALLAUTH_TEMPLATES = Path(allauth.__file__).parent / "templates"
OURS = Path(settings.BASE_DIR) / "templates"

# Flows this site does not switch on (settings.py): sign-in by code, phone numbers, passkeys
# and security keys (MFA_SUPPORTED_TYPES is totp and recovery codes), social accounts,
# changing the address in place (ACCOUNT_CHANGE_EMAIL), "trust this browser"
# (MFA_TRUST_ENABLED), headless; plus the library's own building blocks, which our pages
# don't extend.
NOT_USED = (
    "code",
    "phone",
    "passkey",
    "webauthn",
    "socialaccount",
    "email_change",
    "mfa/trust",
    "snippets/",
    "/base",
    "base_",
    "usersessions",
    "headless",
    "allauth/",
)


def _allauth_templates() -> list[str]:
    found = []
    for path in ALLAUTH_TEMPLATES.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".txt"):
            name = str(path.relative_to(ALLAUTH_TEMPLATES))
            if name.startswith(("account/", "mfa/")) and not any(s in name for s in NOT_USED):
                found.append(name)
    return sorted(found)


def test_the_walk_finds_the_library_templates():
    names = _allauth_templates()
    assert "account/email/email_confirmation_signup_message.txt" in names
    assert "account/login.html" in names and "mfa/totp/activate_form.html" in names
    assert len(names) > 50


@pytest.mark.parametrize("name", _allauth_templates())
def test_every_allauth_template_we_use_has_our_own_version(name):
    assert (OURS / name).is_file(), f"write templates/{name} in the site's voice"
