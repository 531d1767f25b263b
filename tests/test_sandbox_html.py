"""The sandbox's parse_mode=HTML behaves like tdlib's parser, byte offsets and texts included."""

from __future__ import annotations

import pytest

from tgsandbox.html import HtmlError, parse_html, utf16_len


def error_of(source: str) -> str:
    with pytest.raises(HtmlError) as info:
        parse_html(source)
    return str(info.value)


def test_allowed_tags_become_entities_with_utf16_offsets() -> None:
    text, entities = parse_html("😀 <b>bold</b> <i>it</i> <a href='https://e.ma'>link</a>")
    assert text == "😀 bold it link"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 4},  # the emoji takes two UTF-16 units
        {"type": "italic", "offset": 8, "length": 2},
        {"type": "text_link", "offset": 11, "length": 4, "url": "https://e.ma"},
    ]


def test_every_supported_tag_is_accepted() -> None:
    source = (
        "<b>a</b><strong>a</strong><i>a</i><em>a</em><u>a</u><ins>a</ins><s>a</s>"
        "<strike>a</strike><del>a</del><tg-spoiler>a</tg-spoiler>"
        '<span class="tg-spoiler">a</span><code>a</code><pre>a</pre><blockquote>a</blockquote>'
        '<tg-emoji emoji-id="5368324170671202286">a</tg-emoji><B>a</B>'
    )
    text, entities = parse_html(source)
    assert text == "a" * 16
    assert len(entities) == 16


def test_entities_decode_and_unknown_ones_stay_literal() -> None:
    text, _ = parse_html("&lt;x&gt; &amp; &quot; &#1575; &#x41; &nbsp; a & b > c")
    assert text == '<x> & " ا A &nbsp; a & b > c'


def test_pre_code_with_language_and_expandable_blockquote() -> None:
    _, entities = parse_html('<pre><code class="language-python">x = 1</code></pre>')
    assert entities == [{"type": "pre", "offset": 0, "length": 5, "language": "python"}]
    _, entities = parse_html("<blockquote expandable>long</blockquote>")
    assert entities == [{"type": "expandable_blockquote", "offset": 0, "length": 4}]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("a<br>b", 'Unsupported start tag "br" at byte offset 1'),
        ("a<br/>b", 'Unsupported start tag "br/" at byte offset 1'),
        # Arabic letters are two bytes each: offsets count bytes, not characters.
        ("سلام <p>", 'Unsupported start tag "p" at byte offset 9'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("a <b", "Unclosed start tag at byte offset 2"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ('<a href="x" / >y</a>', 'Empty attribute name in the tag "a" at byte offset 0'),
        ("<a href=x!>y</a>", "Unexpected end of name token at byte offset 8"),
        ("<a href=", 'Unclosed start tag "a" at byte offset 0'),
        ("<tg-emoji emoji-id=abc>x</tg-emoji>", "Invalid custom emoji identifier specified"),
        ("Prix < 100 DH", 'Unsupported start tag "" at byte offset 5'),
    ],
)
def test_errors_match_tdlib(source: str, message: str) -> None:
    assert error_of(source) == message


def test_unpaired_surrogate_entity_is_rejected() -> None:
    assert error_of("&#55357;").startswith("Text contains invalid Unicode characters")


def test_empty_end_tag_closes_the_open_one_and_empty_tags_make_no_entity() -> None:
    assert parse_html("<b>x</>") == ("x", [{"type": "bold", "offset": 0, "length": 1}])
    assert parse_html("<b></b>x") == ("x", [])


def test_utf16_len() -> None:
    assert utf16_len("a😀ب") == 4
