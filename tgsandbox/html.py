"""Telegram's parse_mode=HTML, ported from tdlib's parse_html (td/telegram/MessageEntity.cpp).

Telegram's rules are not HTML's: only a few tags exist, attributes are parsed loosely, a lone
``&`` or ``>`` is literal text, and errors carry *byte* offsets into the UTF-8 source. Walking the
UTF-8 bytes the way tdlib does is the only way to reproduce its error texts exactly.
"""

from __future__ import annotations

from typing import Any

ALLOWED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)
_SIMPLE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_NAMED = {b"lt": "<", b"gt": ">", b"amp": "&", b"quot": '"'}
# tdlib's is_space() counts the terminating NUL as a space; reading past the end yields 0.
_SPACES = frozenset(b" \t\r\n\v\x00")
_ALNUM = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_HEX = frozenset(b"0123456789abcdefABCDEF")
_DIGITS = frozenset(b"0123456789")
_ATTR_STOP = frozenset(b" \t\r\n\v\x00=>/\"'")


class HtmlError(ValueError):
    """A parse error, worded exactly as tdlib words it (without the Bot API prefix)."""


def utf16_len(s: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(s.encode("utf-16-le", "surrogatepass")) // 2


def _decode_entity(data: bytes, pos: int) -> tuple[str | None, int]:
    """Decode ``&...;`` at pos; (None, pos) when tdlib would keep the ``&`` literally."""
    n = len(data)
    end = pos + 1
    if end < n and data[end] == 0x23:  # '#'
        end += 1
        value = 0
        if end < n and data[end] == 0x78:  # 'x' (tdlib accepts lowercase only)
            end += 1
            while end < n and data[end] in _HEX:
                value = value * 16 + int(chr(data[end]), 16)
                end += 1
        else:
            while end < n and data[end] in _DIGITS:
                value = value * 10 + data[end] - 48
                end += 1
        if value == 0 or value >= 0x10FFFF or end - pos >= 10:
            return None, pos
        char = chr(value)
    else:
        while end < n and (0x41 <= data[end] <= 0x5A or 0x61 <= data[end] <= 0x7A):
            end += 1
        named = _NAMED.get(data[pos + 1 : end])
        if named is None:
            return None, pos
        char = named
    if end < n and data[end] == 0x3B:  # ';' is optional, as in tdlib
        end += 1
    return char, end


def _next_special(data: bytes, start: int) -> int:
    """Index of the next '<' or '&' at or after start (len(data) when none)."""
    lt, amp = data.find(b"<", start), data.find(b"&", start)
    if lt < 0:
        return len(data) if amp < 0 else amp
    return lt if amp < 0 else min(lt, amp)


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Return (plain text, entities) or raise HtmlError with tdlib's message."""
    data = source.encode("utf-8")
    n = len(data)

    def at(k: int) -> int:
        return data[k] if k < n else 0

    out: list[str] = []
    utf16 = 0
    stack: list[tuple[str, str, int, int]] = []  # tag, argument, utf16 offset, index in out
    entities: list[dict[str, Any]] = []
    surrogate = False
    i = 0
    while i < n:
        c = data[i]
        if c == 0x26:  # '&'
            char, end = _decode_entity(data, i)
            if char is not None:
                surrogate = surrogate or 0xD800 <= ord(char) <= 0xDFFF
                out.append(char)
                utf16 += 2 if ord(char) > 0xFFFF else 1
                i = end
                continue
        if c != 0x3C:  # plain text: copy the whole run up to the next '<' or '&' at once
            j = _next_special(data, i + 1)
            chunk = data[i:j].decode("utf-8")  # ASCII '<'/'&' are always character boundaries
            out.append(chunk)
            utf16 += utf16_len(chunk)
            i = j
            continue

        begin = i
        i += 1
        if at(i) != 0x2F:  # start tag
            while at(i) not in _SPACES and at(i) != 0x3E:
                i += 1
            if at(i) == 0:
                raise HtmlError(f"Unclosed start tag at byte offset {begin}")
            tag = data[begin + 1 : i].decode("utf-8", "replace").lower()
            if tag not in ALLOWED_TAGS:
                raise HtmlError(f'Unsupported start tag "{tag}" at byte offset {begin}')
            argument, i = _parse_attributes(data, i, tag, begin, at)
            if tag == "span" and argument != "spoiler":
                raise HtmlError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
            stack.append((tag, argument, utf16, len(out)))
            i += 1  # skip '>'
            continue

        # end tag
        if not stack:
            raise HtmlError(f"Unexpected end tag at byte offset {begin}")
        while at(i) not in _SPACES and at(i) != 0x3E:
            i += 1
        end_tag = data[begin + 2 : i].decode("utf-8", "replace").lower()
        while at(i) != 0 and at(i) in _SPACES:
            i += 1
        if at(i) != 0x3E:
            raise HtmlError(f"Unclosed end tag at byte offset {begin}")
        tag, argument, offset, out_index = stack.pop()
        if end_tag and end_tag != tag:
            raise HtmlError(
                f'Unmatched end tag at byte offset {begin}, expected "</{tag}>", found "</{end_tag}>"'
            )
        if utf16 > offset:
            _add_entity(entities, tag, argument, offset, utf16 - offset, "".join(out[out_index:]))
        i += 1  # skip '>'
    if stack:
        raise HtmlError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    if surrogate:
        raise HtmlError(
            "Text contains invalid Unicode characters after decoding HTML entities, "
            "check for unmatched surrogate code units"
        )
    for entity in entities:
        entity.pop("_code_language", None)
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _parse_attributes(data: bytes, i: int, tag: str, begin: int, at: Any) -> tuple[str, int]:
    """Parse attributes up to '>' and return (argument, index of '>')."""
    argument = ""
    while at(i) != 0x3E:
        while at(i) != 0 and at(i) in _SPACES:
            i += 1
        if at(i) == 0x3E:
            break
        name_begin = i
        while at(i) not in _ATTR_STOP:
            i += 1
        name = data[name_begin:i]
        if not name:
            raise HtmlError(f'Empty attribute name in the tag "{tag}" at byte offset {begin}')
        while at(i) != 0 and at(i) in _SPACES:
            i += 1
        if at(i) != 0x3D:  # attribute without a value
            if at(i) == 0:
                raise HtmlError(f'Unclosed start tag "{tag}" at byte offset {begin}')
            if tag == "blockquote" and name == b"expandable":
                argument = "1"
            continue
        i += 1
        while at(i) != 0 and at(i) in _SPACES:
            i += 1
        if at(i) == 0:
            raise HtmlError(f'Unclosed start tag "{tag}" at byte offset {begin}')
        if at(i) not in (0x22, 0x27):  # a name token
            token_begin = i
            while at(i) in _ALNUM or at(i) in (0x2E, 0x2D):
                i += 1
            value = data[token_begin:i].decode("ascii").lower()
            if at(i) not in _SPACES and at(i) != 0x3E:
                raise HtmlError(f"Unexpected end of name token at byte offset {token_begin}")
        else:  # a quoted string, entities decoded
            quote = at(i)
            i += 1
            parts: list[str] = []
            raw_begin = i
            while at(i) != quote and at(i) != 0:
                if at(i) == 0x26:
                    char, end = _decode_entity(data, i)
                    if char is not None:
                        parts.append(data[raw_begin:i].decode("utf-8", "replace") + char)
                        i = raw_begin = end
                        continue
                i += 1
            parts.append(data[raw_begin:i].decode("utf-8", "replace"))
            value = "".join(parts)
            if at(i) == quote:
                i += 1
        if at(i) == 0:
            raise HtmlError(f"Unclosed start tag at byte offset {begin}")
        if tag == "a" and name == b"href":
            argument = value
        elif tag == "code" and name == b"class" and value.startswith("language-"):
            argument = value[9:]
        elif tag == "span" and name == b"class" and value.startswith("tg-"):
            argument = value[3:]
        elif tag == "tg-emoji" and name == b"emoji-id":
            argument = value
        elif tag == "blockquote" and name == b"expandable":
            argument = "1"
    return argument, i


def _add_entity(
    entities: list[dict[str, Any]], tag: str, argument: str, offset: int, length: int, inner: str
) -> None:
    """Append the entity a closed tag produces (pre+code pairs merge, as in tdlib)."""
    last = entities[-1] if entities else None
    same_span = last is not None and last["offset"] == offset and last["length"] == length
    if tag in _SIMPLE:
        entities.append({"type": _SIMPLE[tag], "offset": offset, "length": length})
    elif tag == "tg-emoji":
        if not argument.isdigit() or int(argument) == 0:
            raise HtmlError("Invalid custom emoji identifier specified")
        entities.append(
            {
                "type": "custom_emoji",
                "offset": offset,
                "length": length,
                "custom_emoji_id": argument,
            }
        )
    elif tag == "a":
        url = argument or inner
        if url:  # tdlib silently drops links it cannot check
            entities.append({"type": "text_link", "offset": offset, "length": length, "url": url})
    elif tag == "pre":
        if same_span and last["type"] == "code" and last.get("_code_language"):
            last.update(type="pre", language=last.pop("_code_language"))
        else:
            entities.append({"type": "pre", "offset": offset, "length": length})
    elif tag == "code":
        if same_span and last["type"] == "pre" and argument:
            last["language"] = argument
        else:
            entity = {"type": "code", "offset": offset, "length": length}
            if argument:
                entity["_code_language"] = argument
            entities.append(entity)
    elif tag == "blockquote":
        kind = "expandable_blockquote" if argument else "blockquote"
        entities.append({"type": kind, "offset": offset, "length": length})
