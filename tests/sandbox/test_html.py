"""Telegram's HTML parse mode: plain text, entities with UTF-16 offsets, TDLib's error texts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sandbox.entities import Entity, render_html
from sandbox.html import HtmlParseError, parse_html


def test_tags_become_entities_and_text_loses_markup() -> None:
    text, entities = parse_html("<b>Hold</b> for <i>30 s</i>, then <u>relax</u>")
    assert text == "Hold for 30 s, then relax"
    assert entities == [
        Entity("bold", 0, 4),
        Entity("italic", 9, 4),
        Entity("underline", 20, 5),
    ]


@pytest.mark.parametrize(
    ("tag", "kind"),
    [
        ("b", "bold"),
        ("strong", "bold"),
        ("i", "italic"),
        ("em", "italic"),
        ("u", "underline"),
        ("ins", "underline"),
        ("s", "strikethrough"),
        ("strike", "strikethrough"),
        ("del", "strikethrough"),
        ("tg-spoiler", "spoiler"),
        ("code", "code"),
        ("pre", "pre"),
        ("blockquote", "blockquote"),
    ],
)
def test_every_simple_tag(tag: str, kind: str) -> None:
    assert parse_html(f"x<{tag}>yz</{tag}>") == ("xyz", [Entity(kind, 1, 2)])


def test_tag_names_are_case_insensitive() -> None:
    assert parse_html("<B>x</B>") == ("x", [Entity("bold", 0, 1)])


def test_escapes_and_numeric_references() -> None:
    text, _ = parse_html("&lt;b&gt; &amp; &quot;q&quot; &#65;&#x42; &nbsp; 5 &lt 6")
    # Unknown named entities stay as they are; the semicolon is optional for known ones.
    assert text == '<b> & "q" AB &nbsp; 5 < 6'


def test_offsets_count_utf16_code_units() -> None:
    text, entities = parse_html("😀 <b>ok</b> &#x1F600;<i>x</i>")
    assert text == "😀 ok 😀x"
    assert entities == [Entity("bold", 3, 2), Entity("italic", 8, 1)]


def test_nested_tags_give_nested_entities() -> None:
    assert parse_html("<b>a<i>b</i></b>")[1] == [Entity("bold", 0, 2), Entity("italic", 1, 1)]


def test_links_mentions_spoiler_span_emoji_and_expandable_quote() -> None:
    text, entities = parse_html(
        '<a href="https://example.org/x?a=1&amp;b=2">site</a> '
        '<a href="tg://user?id=42">Ann</a> '
        '<span class="tg-spoiler">secret</span> '
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji> '
        "<blockquote expandable>long</blockquote>"
    )
    assert text == "site Ann secret 👍 long"
    assert entities == [
        Entity("text_link", 0, 4, url="https://example.org/x?a=1&b=2"),
        Entity("text_mention", 5, 3, user_id=42),
        Entity("spoiler", 9, 6),
        Entity("custom_emoji", 16, 2, custom_emoji_id="5368324170671202286"),
        Entity("expandable_blockquote", 19, 4),
    ]


def test_pre_with_code_language_is_one_pre_entity() -> None:
    text, entities = parse_html('<pre><code class="language-python">x = 1</code></pre>')
    assert text == "x = 1"
    assert entities == [Entity("pre", 0, 5, language="python")]


def test_link_without_href_uses_its_text_and_bad_links_are_dropped() -> None:
    assert parse_html("<a>https://a.org</a>")[1] == [
        Entity("text_link", 0, 13, url="https://a.org")
    ]
    assert parse_html('<a href="not a link">x</a>') == ("x", [])


def test_empty_tags_produce_no_entity() -> None:
    assert parse_html("a<b></b>c") == ("ac", [])


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("<p>x</p>", 'Unsupported start tag "p" at byte offset 0'),
        ("5 < 6", 'Unsupported start tag "" at byte offset 2'),
        ("é<br/>", 'Unsupported start tag "br/" at byte offset 2'),
        # The shape seen in the wild: "Unsupported start tag \"</b\" at byte offset 84".
        ("<</b>", 'Unsupported start tag "</b" at byte offset 0'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        (
            "<a href>x</a>",
            'Expected equal sign in declaration of an attribute of the tag "a" at byte offset 0',
        ),
        ('<a href="x', "Unclosed start tag at byte offset 0"),
        ("<a href=x!>y</a>", "Unexpected end of name token at byte offset 8"),
        ("<tg-emoji emoji-id=abc>x</tg-emoji>", "Invalid custom emoji identifier specified"),
    ],
)
def test_malformed_html_fails_with_tdlib_messages(source: str, message: str) -> None:
    with pytest.raises(HtmlParseError) as caught:
        parse_html(source)
    assert str(caught.value) == message


_WORDS = st.text(alphabet="ab <>&\"'é😀\n", max_size=6)
_TAGS = st.sampled_from(["b", "i", "u", "s", "code", "tg-spoiler"])


@st.composite
def _markup(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        if depth < 3 and draw(st.booleans()):
            tag = draw(_TAGS)
            parts.append(f"<{tag}>{draw(_markup(depth + 1))}</{tag}>")
        else:
            words = draw(_WORDS)
            parts.append(words.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
    return "".join(parts)


@given(_markup())
def test_rendering_the_parse_parses_to_the_same(source: str) -> None:
    text, entities = parse_html(source)
    assert parse_html(render_html(text, entities)) == (text, entities)
