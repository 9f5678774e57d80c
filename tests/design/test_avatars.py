"""Avatars without photos: deterministic, accessible, AA in light and dark, and the neutral one
for hidden authors reveals nothing."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import Context, Template

from peersupport.avatars import (
    PALETTE_SIZE,
    avatar_colour_index,
    avatar_html,
    avatar_initials,
)

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "site.css"


def _person(name: str) -> SimpleNamespace:
    return SimpleNamespace(display_name=name)


def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _avatar_rules(css: str) -> tuple[dict[str, str], dict[str, str]]:
    """{class: --avatar-bg} for light and for dark, plus the text colour under the key 'fg'."""
    start = css.index("/* --- avatars")
    section = css[start:]
    dark_at = section.index("@media (prefers-color-scheme: dark)")
    light_part, dark_part = section[:dark_at], section[dark_at:]
    dark_part = dark_part[: dark_part.index("\n}\n")]

    def parse(text: str) -> dict[str, str]:
        found = dict(
            re.findall(r"\.(avatar-(?:c\d+|neutral)) \{ --avatar-bg: (#[0-9a-f]{6}); \}", text)
        )
        fg = re.search(r"--avatar-fg: (#[0-9a-f]{6})", text)
        found["fg"] = fg.group(1) if fg else ""
        return found

    return parse(light_part), parse(dark_part)


def test_same_pseudonym_gives_the_same_avatar_every_time():
    first = avatar_html(_person("Quiet Heron"))
    assert first == avatar_html(_person("Quiet Heron"))
    # Spacing and case do not change who it is.
    assert avatar_colour_index("quiet  heron") == avatar_colour_index("Quiet Heron")


def test_colour_index_is_the_same_in_another_process_with_another_hash_seed():
    # Python's own hash() is salted per process; the avatar must not be.
    names = ["Quiet Heron", "River", "Ash", "élan vital"]
    code = (
        "import json, sys; from peersupport.avatars import avatar_colour_index as f; "
        "print(json.dumps([f(n) for n in json.loads(sys.argv[1])]))"
    )
    for seed in ("1", "2"):
        out = subprocess.run(
            [sys.executable, "-c", code, json.dumps(names)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        assert json.loads(out.stdout) == [avatar_colour_index(n) for n in names]


def test_colours_spread_over_the_palette():
    names = [f"Member {i}" for i in range(200)]
    used = {avatar_colour_index(n) for n in names}
    assert len(used) == PALETTE_SIZE


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("Quiet Heron", "QH"),
        ("willow", "W"),
        ("sam o'neil the third", "ST"),
        ("élan vital", "ÉV"),
        ("- -", "?"),
        ("R2 d2", "RD"),
    ],
)
def test_initials_are_first_letters_of_first_and_last_word(name, initials):
    assert avatar_initials(name) == initials


def test_avatar_is_decorative_and_escaped():
    html = avatar_html(_person("<b>Bold</b> name"))
    assert 'aria-hidden="true"' in html
    assert "<b>" not in html
    assert ">BN<" in html


def test_anonymous_avatar_is_the_same_for_everyone_and_shows_no_letters():
    a = avatar_html(_person("Quiet Heron"), anonymous=True)
    b = avatar_html(_person("Willow"), anonymous=True)
    assert a == b
    assert "avatar-neutral" in a
    assert "QH" not in a and "W<" not in a
    assert not re.search(r"avatar-c\d", a)
    # A former member (no user) gets the same neutral avatar.
    assert avatar_html(None) == a


def test_size_falls_back_to_medium():
    assert "avatar-sm" in avatar_html(_person("Ash"), size="sm")
    assert "avatar-md" in avatar_html(_person("Ash"), size="huge")


def test_template_tag_renders_user_and_anonymous():
    template = Template(
        "{% load avatars %}{% avatar who %}|{% avatar who anonymous=True size='sm' %}"
    )
    out = template.render(Context({"who": _person("Quiet Heron")}))
    named, hidden = out.split("|")
    assert ">QH</span>" in named
    assert "avatar-neutral" in hidden and "avatar-sm" in hidden


def test_every_palette_colour_has_aa_contrast_in_light_and_dark():
    light, dark = _avatar_rules(CSS.read_text())
    for scheme in (light, dark):
        fg = scheme.pop("fg") or "#ffffff"
        for index in range(PALETTE_SIZE):
            assert f"avatar-c{index}" in scheme, f"avatar-c{index} missing"
        assert "avatar-neutral" in scheme
        for cls, bg in scheme.items():
            assert _contrast(bg, fg) >= 4.5, f"{cls}: {bg} on {fg}"
