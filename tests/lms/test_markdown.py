import pytest

from lms.markdown import render_markdown

XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[clic](javascript:alert(1))",
    "[clic](JaVaScRiPt:alert(1))",
    "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)><circle r=10 /></svg>",
    '<svg><script xlink:href="data:,alert(1)"></script></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div onmouseover="alert(1)">survol</div>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<a href="&#106;avascript:alert(1)">x</a>',
    '![x](x" onerror="alert(1))',
    '<object data="javascript:alert(1)"></object>',
    '<form action="https://evil.example"><input name=x></form>',
]


@pytest.mark.parametrize("payload", XSS_VECTORS)
def test_markdown_neutralises_xss_vector(payload):
    html = render_markdown(payload).lower()
    for forbidden in (
        "<script",
        "onerror",
        "onload",
        "onmouseover",
        "javascript:",
        "<svg",
        "<iframe",
        "<object",
        "<form",
        "<img",
        "style=",
        "data:text",
    ):
        assert forbidden not in html, (payload, html)


def test_markdown_keeps_teaching_formatting():
    html = render_markdown(
        "## Titre\n\n**gras** et *italique*\n\n- un\n- deux\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert "<h2>Titre</h2>" in html
    assert "<strong>gras</strong>" in html
    assert "<em>italique</em>" in html
    assert "<li>un</li>" in html
    assert "<table>" in html and "<td>1</td>" in html


def test_external_links_are_kept_with_safe_rel():
    html = render_markdown("[Anah](https://www.anah.gouv.fr)")
    assert 'href="https://www.anah.gouv.fr"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_mailto_links_are_allowed():
    assert 'href="mailto:contact@exemple.fr"' in render_markdown(
        "[écrire](mailto:contact@exemple.fr)"
    )


def test_empty_text_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


def test_markdown_template_filter_is_available_everywhere():
    from django.template import engines

    template = engines["django"].from_string("{{ text|markdown }}")
    assert "<script" not in template.render({"text": "<script>x</script>**ok**"})


def test_wrapped_lines_stay_one_paragraph():
    html = render_markdown("Une phrase coupée\nsur deux lignes.\n\nUn second paragraphe.")
    assert "<br" not in html
    assert html.count("<p>") == 2


def test_a_list_right_after_a_paragraph_line_is_a_list():
    """Python-Markdown wanted a blank line before a list; authors write lists without one."""
    html = render_markdown("**Déroulement**\n- 23 questions.\n- Une seule tentative.")
    assert html.count("<li>") == 2
    assert "<ul>" in html and "<p><strong>Déroulement</strong></p>" in html
    numbered = render_markdown("Les étapes :\n1. Identifier\n2. Financer")
    assert numbered.count("<li>") == 2 and "<ol>" in numbered


def test_only_a_list_starting_at_one_interrupts_a_paragraph():
    html = render_markdown("Montant retenu en\n2026. Puis la suite.")
    assert "<ol>" not in html and "<li>" not in html


def test_lists_in_fenced_code_and_nested_items_stay_as_they_are():
    code = render_markdown("Exemple :\n```\nligne\n- pas une liste\n```")
    assert "<li>" not in code and "- pas une liste" in code
    nested = render_markdown("- un\n    - un point un\n- deux")
    assert nested.count("<ul>") == 2


def test_the_final_evaluation_intro_renders_its_lists():
    from pathlib import Path

    import yaml

    path = Path(__file__).resolve().parents[2] / "fixtures/assessments/evaluation-finale.yaml"
    intro = yaml.safe_load(path.read_text(encoding="utf-8"))["intro"]
    html = render_markdown(intro)
    assert html.count("<ul>") >= 2
    assert "<p><strong>Déroulement</strong></p>" in html
