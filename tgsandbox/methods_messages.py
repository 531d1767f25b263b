"""Bot API methods about messages: send, edit, delete, callback answers, files."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from tgsandbox import rules
from tgsandbox.rules import ApiError, bad
from tgsandbox.state import Chat, StoredFile, StoredMessage

if TYPE_CHECKING:
    from tgsandbox.server import Files

Params = dict[str, Any]


class MessageMethods:
    """The message-related ``api_*`` handlers of FakeTelegram (state lives on the server)."""

    # --- helpers ------------------------------------------------------------------------------
    def _chat(self, p: Params) -> Chat:
        """The chat a request names; 400 when Telegram would not know it."""
        raw = p.get("chat_id")
        if raw is None or raw == "":
            raise bad(rules.CHAT_ID_EMPTY)
        chat_id = int(raw) if str(raw).lstrip("-").isdigit() else None
        if chat_id is None:  # "@username": only public groups have one, none here
            raise bad(rules.CHAT_NOT_FOUND)
        if chat_id > 0:
            person = self.people.get(chat_id)
            if person is None:
                raise bad(rules.CHAT_NOT_FOUND)
            return self.private_chat(person)
        chat = self.chats.get(chat_id)
        if chat is None:
            raise bad(rules.CHAT_NOT_FOUND)
        return chat

    def _check_reachable(self, chat: Chat) -> None:
        """403 for people who cannot receive messages from the bot."""
        person = self.people.get(chat.chat_id) if chat.type == "private" else None
        if person is None:
            return
        if person.deactivated:
            raise ApiError(403, rules.DEACTIVATED)
        if person.blocked:
            raise ApiError(403, rules.BLOCKED)
        if not person.started:
            raise ApiError(403, rules.NOT_STARTED)

    @staticmethod
    def _markup(p: Params) -> dict[str, Any] | None:
        """The validated reply_markup; an empty inline keyboard counts as none, as in Telegram."""
        markup = p.get("reply_markup")
        if isinstance(markup, str):
            try:
                markup = json.loads(markup)
            except ValueError:
                raise bad(rules.BAD_MARKUP) from None
        rules.check_reply_markup(markup)
        if markup is not None and "inline_keyboard" in markup and not any(markup["inline_keyboard"]):
            return None
        return markup

    def _deliver(self, chat: Chat, **fields: Any) -> StoredMessage:
        """Store a new bot message, after flood control."""
        if self._rate is not None:
            retry_after = self._rate.acquire(chat.chat_id)
            if retry_after is not None:
                raise ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)
        person = self.people.get(chat.chat_id) if chat.type == "private" else None
        message = StoredMessage(
            chat.chat_id,
            chat.next_message_id,
            self.now_date(),
            True,
            self.bot_json,
            chat.to_json(person),
            **fields,
        )
        chat.messages[message.message_id] = message
        chat.next_message_id += 1
        self.events.append((chat.chat_id, message.message_id))
        return message

    def _editable(self, p: Params) -> StoredMessage:
        """The bot message an edit names."""
        if p.get("inline_message_id"):
            raise bad(rules.EDIT_NOT_FOUND)  # inline messages do not exist in the sandbox
        chat = self._chat(p)
        message = chat.messages.get(_int(p.get("message_id")))
        if message is None:
            raise bad(rules.EDIT_NOT_FOUND)
        if not message.from_bot:
            raise bad(rules.CANT_EDIT)
        return message

    def _apply_edit(self, message: StoredMessage, **changes: Any) -> dict[str, Any]:
        """Apply an edit unless it changes nothing (Telegram's 'message is not modified')."""
        before = message.content_key()
        saved = {key: getattr(message, key) for key in changes}
        for key, value in changes.items():
            setattr(message, key, value)
        if message.content_key() == before:
            for key, value in saved.items():
                setattr(message, key, value)
            raise bad(rules.NOT_MODIFIED)
        message.edit_date = self.now_date()
        self.events.append((message.chat_id, message.message_id))
        return message.to_json()

    def _input_file(self, p: Params, files: Files, key: str, limit: int) -> StoredFile:
        """The file a send* call carries: an upload, an attach:// part or a known file_id."""
        value = p.get(key)
        part = files.get(key)
        if part is None and isinstance(value, str) and value.startswith("attach://"):
            part = files.get(value[len("attach://") :])
        if part is None:
            if value is None or value == "":
                raise bad(f"Bad Request: there is no {key} in the request")
            known = self.files.get(str(value))
            if known is None:  # an http URL cannot be fetched offline either
                raise bad(rules.WRONG_FILE_ID)
            return known
        filename, data, mime_type = part
        if len(data) > limit:
            raise bad(rules.FILE_TOO_BIG)
        return self.store_file(data, filename, mime_type, "photos" if key == "photo" else "documents")

    def _send_media(self, p: Params, files: Files, key: str, limit: int) -> dict[str, Any]:
        """sendDocument / sendPhoto."""
        chat = self._chat(p)
        caption, caption_entities = rules.parse_formatted(
            p.get("caption"), p.get("parse_mode"), p.get("caption_entities")
        )
        rules.check_caption(caption)
        markup = self._markup(p)
        stored = self._input_file(p, files, key, limit)
        self._check_reachable(chat)
        message = self._deliver(
            chat,
            caption=caption or None,
            caption_entities=caption_entities,
            caption_html=p.get("caption"),
            reply_markup=markup,
            **{key: stored},
        )
        return message.to_json()

    # --- handlers -----------------------------------------------------------------------------
    def api_sendMessage(self, p: Params, files: Files) -> dict[str, Any]:
        """Send a text message."""
        chat = self._chat(p)
        text, entities = rules.parse_formatted(p.get("text"), p.get("parse_mode"), p.get("entities"))
        rules.check_text(text)
        markup = self._markup(p)
        self._check_reachable(chat)
        message = self._deliver(chat, text=text, entities=entities, html=p.get("text"), reply_markup=markup)
        return message.to_json()

    def api_sendDocument(self, p: Params, files: Files) -> dict[str, Any]:
        """Send a document (50 MB at most)."""
        return self._send_media(p, files, "document", rules.UPLOAD_MAX)

    def api_sendPhoto(self, p: Params, files: Files) -> dict[str, Any]:
        """Send a photo (10 MB at most)."""
        return self._send_media(p, files, "photo", rules.PHOTO_UPLOAD_MAX)

    def api_sendChatAction(self, p: Params, files: Files) -> bool:
        """Show 'typing…' and the like."""
        chat = self._chat(p)
        if not p.get("action"):
            raise bad("Bad Request: action is empty")
        self._check_reachable(chat)
        return True

    def api_editMessageText(self, p: Params, files: Files) -> dict[str, Any]:
        """Edit a text message; without reply_markup the keyboard goes, as in Telegram."""
        message = self._editable(p)
        text, entities = rules.parse_formatted(p.get("text"), p.get("parse_mode"), p.get("entities"))
        rules.check_text(text)
        markup = self._markup(p)
        if message.text is None:
            raise bad(rules.NO_TEXT_TO_EDIT)
        self._check_reachable(self.chats[message.chat_id])
        return self._apply_edit(
            message, text=text, entities=entities, html=p.get("text"), reply_markup=markup
        )

    def api_editMessageCaption(self, p: Params, files: Files) -> dict[str, Any]:
        """Edit the caption of a document or photo."""
        message = self._editable(p)
        caption, caption_entities = rules.parse_formatted(
            p.get("caption"), p.get("parse_mode"), p.get("caption_entities")
        )
        rules.check_caption(caption)
        markup = self._markup(p)
        if message.document is None and message.photo is None:
            raise bad(rules.NO_CAPTION_TO_EDIT)
        self._check_reachable(self.chats[message.chat_id])
        return self._apply_edit(
            message,
            caption=caption or None,
            caption_entities=caption_entities,
            caption_html=p.get("caption"),
            reply_markup=markup,
        )

    def api_editMessageReplyMarkup(self, p: Params, files: Files) -> dict[str, Any]:
        """Replace (or remove) the inline keyboard of a message."""
        message = self._editable(p)
        markup = self._markup(p)
        self._check_reachable(self.chats[message.chat_id])
        return self._apply_edit(message, reply_markup=markup)

    def api_deleteMessage(self, p: Params, files: Files) -> bool:
        """Delete a message."""
        chat = self._chat(p)
        message = chat.messages.pop(_int(p.get("message_id")), None)
        if message is None:
            raise bad(rules.DELETE_NOT_FOUND)
        message.deleted = True
        return True

    def api_answerCallbackQuery(self, p: Params, files: Files) -> bool:
        """Answer a button press: once, within 15 seconds."""
        rules.check_answer_text(p.get("text"))
        query = self._queries.get(str(p.get("callback_query_id", "")))
        if query is None or query.answer is not None or self.clock() - query.created > rules.QUERY_TTL_S:
            raise bad(rules.QUERY_INVALID)
        query.answer = {key: p[key] for key in ("text", "show_alert", "url", "cache_time") if key in p}
        return True

    def api_getFile(self, p: Params, files: Files) -> dict[str, Any]:
        """Describe a file for download (20 MB at most)."""
        stored = self.files.get(str(p.get("file_id", "")))
        if stored is None:
            raise bad("Bad Request: invalid file_id")
        if stored.size > rules.DOWNLOAD_MAX:
            raise bad(rules.FILE_TOO_BIG)
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
            "file_path": stored.file_path,
        }


def _int(value: Any) -> int | None:
    """An integer parameter, or None when it is not one."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
