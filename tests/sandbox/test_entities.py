"""Entities: UTF-16 lengths, Telegram's automatic entities, trimming, HTML rendering."""

from __future__ import annotations

import pytest

from sandbox.entities import (
    Entity,
    entities_from_api,
    find_automatic,
    render_html,
    slice_utf16,
    trim,
    utf16_len,
)


def test_utf16_length_counts_astral_characters_twice() -> None:
    assert utf16_len("a😀é") == 4
    assert slice_utf16("😀 hold", 3, 4) == "hold"


def test_automatic_entities_find_commands_mentions_hashtags_links_and_emails() -> None:
    text = "/start@stretchbot_sandbox_bot hi @someone #calves https://a.org/x, me@ex.org"
    found = {(e.type, slice_utf16(text, e.offset, e.length)) for e in find_automatic(text)}
    assert found == {
        ("bot_command", "/start@stretchbot_sandbox_bot"),
        ("mention", "@someone"),
        ("hashtag", "#calves"),
        ("url", "https://a.org/x"),
        ("email", "me@ex.org"),
    }


def test_a_command_inside_a_word_or_path_is_not_a_command() -> None:
    assert find_automatic("and/or a/b") == []
    assert find_automatic("/help me")[0] == Entity("bot_command", 0, 5)


def test_trim_moves_and_clips_entities() -> None:
    text, entities = trim("  hi there \n", [Entity("bold", 0, 4), Entity("italic", 5, 7)])
    assert text == "hi there"
    assert entities == [Entity("bold", 0, 2), Entity("italic", 3, 5)]


def test_entities_from_api_reads_and_checks_fields() -> None:
    entities = entities_from_api(
        [
            {"type": "bold", "offset": 0, "length": 2},
            {"type": "text_link", "offset": 3, "length": 1, "url": "https://a.org"},
            {"type": "italic", "offset": 2, "length": 99},  # beyond the text: dropped
        ],
        "ab c",
    )
    assert entities == [Entity("bold", 0, 2), Entity("text_link", 3, 1, url="https://a.org")]
    with pytest.raises(ValueError, match="Unsupported type"):
        entities_from_api([{"type": "blink", "offset": 0, "length": 1}], "x")


def test_render_html_escapes_text_and_keeps_automatic_entities_plain() -> None:
    text = "1 < 2 & /start"
    assert render_html(text, [Entity("bot_command", 9, 6)]) == "1 &lt; 2 &amp; /start"


def test_render_html_reopens_crossing_entities() -> None:
    html = render_html("abcd", [Entity("bold", 0, 3), Entity("italic", 1, 3)])
    assert html == "<b>a<i>bc</i></b><i>d</i>"


def test_render_html_of_links_code_and_emoji() -> None:
    html = render_html(
        "😀 go x",
        [
            Entity("text_link", 3, 2, url='https://a.org/?q="1"'),
            Entity("pre", 6, 1, language="py"),
        ],
    )
    assert html == (
        '😀 <a href="https://a.org/?q=&quot;1&quot;">go</a> '
        '<pre><code class="language-py">x</code></pre>'
    )
