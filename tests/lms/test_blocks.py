from django.core.exceptions import ValidationError

import pytest

from lms.blocks import CalloutBlock, CallToActionBlock, SafeURLBlock


def test_callout_text_is_rendered_as_sanitised_markdown():
    block = CalloutBlock()
    value = block.to_python(
        {"variant": "info", "title": "À retenir", "text": "**gras** <script>x</script>"}
    )
    html = block.render(value)
    assert "<strong>gras</strong>" in html
    assert "<script" not in html


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        " JavaScript:alert(1)",
        "data:text/html,x",
        "//evil.example",
    ],
)
def test_call_to_action_refuses_dangerous_addresses(url):
    with pytest.raises(ValidationError, match="Adresse refusée"):
        SafeURLBlock().clean(url)


@pytest.mark.parametrize("url", ["/programme/", "https://www.anah.gouv.fr", "mailto:a@b.fr"])
def test_call_to_action_accepts_safe_addresses(url):
    assert SafeURLBlock().clean(url) == url


def test_a_stored_dangerous_address_is_never_rendered():
    block = CallToActionBlock()
    value = block.to_python(
        {"title": "t", "button_label": "b", "page": None, "external_url": "javascript:alert(1)"}
    )
    assert value.url == ""
    assert "javascript:" not in block.render(value)
