"""People, chats and what people do: the sandbox side of the conversation."""

from __future__ import annotations

import mimetypes
from typing import Any

from tgsandbox.state import Chat, Person, StoredFile, StoredMessage


class Query:
    """A callback query waiting for answerCallbackQuery."""

    __slots__ = ("user_id", "created", "answer")

    def __init__(self, user_id: int, created: float) -> None:
        self.user_id, self.created = user_id, created
        self.answer: dict[str, Any] | None = None


class PeopleMixin:
    """People and chats of FakeTelegram, and the messages, files and presses people make."""

    # --- people and chats ---------------------------------------------------------------------
    def add_user(
        self,
        user_id: int,
        first_name: str = "Test",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "fr",
        started: bool = True,
    ) -> Person:
        """Register (or update) a person; `started` means they have opened the bot."""
        person = Person(user_id, first_name, last_name, username, language_code, started)
        old = self.people.get(user_id)
        if old is not None:
            person.blocked, person.deactivated = old.blocked, old.deactivated
            person.started = old.started or started
        self.people[user_id] = person
        chat = self.chats.get(user_id)
        if chat is not None:
            for message in chat.messages.values():
                message.chat = chat.to_json(person)
        return person

    def add_group(self, chat_id: int, title: str = "Group", type: str = "supergroup") -> Chat:
        """Register a group the bot is a member of."""
        if chat_id not in self.chats:
            self.chats[chat_id] = Chat(chat_id, type, title)
        return self.chats[chat_id]

    def block(self, user_id: int) -> dict[str, Any]:
        """The person blocks the bot; returns (and queues) the my_chat_member update."""
        self.people[user_id].blocked = True
        return self._member_update(user_id, "member", "kicked")

    def unblock(self, user_id: int) -> dict[str, Any]:
        """The person unblocks the bot; returns (and queues) the my_chat_member update."""
        self.people[user_id].blocked = False
        return self._member_update(user_id, "kicked", "member")

    def deactivate(self, user_id: int) -> None:
        """The person deletes their account."""
        self.people[user_id].deactivated = True

    def _member_update(self, user_id: int, old: str, new: str) -> dict[str, Any]:
        person = self.people[user_id]

        def member(status: str) -> dict[str, Any]:
            # Telegram always sends until_date with "kicked" (0: for ever).
            return {"user": self.bot_json, "status": status,
                    **({"until_date": 0} if status == "kicked" else {})}

        update = {
            "my_chat_member": {
                "chat": self.private_chat(person).to_json(person),
                "from": person.to_json(),
                "date": self.now_date(),
                "old_chat_member": member(old),
                "new_chat_member": member(new),
            }
        }
        return self.push_update(update)

    def private_chat(self, person: Person) -> Chat:
        """The private chat with a person, created on first use."""
        chat = self.chats.get(person.user_id)
        if chat is None:
            chat = self.chats[person.user_id] = Chat(person.user_id, "private")
        return chat

    def now_date(self) -> int:
        """The current Unix time, by the server's clock."""
        return int(self._epoch + self.clock())

    # --- what people do (used by BotClient) ---------------------------------------------------
    def user_message(self, user_id: int, chat_id: int | None = None, **fields: Any) -> StoredMessage:
        """Store a message a person sends; it takes the chat's next message id."""
        person = self.people[user_id]
        if chat_id is None or chat_id == user_id:
            chat = self.private_chat(person)
            person.started, person.blocked = True, False  # writing to a bot (re)starts it
        else:
            chat = self.chats[chat_id]
        message = StoredMessage(
            chat.chat_id,
            chat.next_message_id,
            self.now_date(),
            False,
            person.to_json(),
            chat.to_json(person if chat.type == "private" else None),
            **fields,
        )
        chat.messages[message.message_id] = message
        chat.next_message_id += 1
        return message

    def store_file(
        self, data: bytes, filename: str | None, mime_type: str | None, kind: str = "documents"
    ) -> StoredFile:
        """Keep a file (uploaded by a person or the bot) so getFile and downloads find it."""
        n = next(self._ids)
        ext = (filename or "").rpartition(".")[2] if "." in (filename or "") else ""
        ext = ext or (mimetypes.guess_extension(mime_type or "") or ".bin").lstrip(".")
        stored = StoredFile(
            f"SBX{kind[:3].upper()}{n:08d}",
            f"U{n:08d}",
            data,
            filename,
            mime_type,
            f"{kind}/file_{n}.{ext}",
        )
        self.files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    def new_callback_query(
        self,
        user_id: int,
        message: StoredMessage | None,
        data: str | None,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        """A CallbackQuery object for a press on `message` (None: an inaccessible message)."""
        person = self.people[user_id]
        query_id = str(next(self._ids) * 7919 + 10**15)
        self._queries[query_id] = Query(user_id, self.clock())
        target = message.chat_id if message is not None else (chat_id or user_id)
        query: dict[str, Any] = {
            "id": query_id,
            "from": person.to_json(),
            "chat_instance": str(-target),
        }
        if data is not None:
            query["data"] = data
        if message is not None:
            query["message"] = message.to_json()
        else:  # Telegram sends date 0 for a message the bot can no longer see
            chat = self.chats.get(target) or self.private_chat(person)
            query["message"] = {"chat": chat.to_json(person), "message_id": 0, "date": 0}
        return query

    def query_answer(self, query_id: str) -> dict[str, Any] | None:
        """The bot's answerCallbackQuery parameters for a query, if it answered."""
        query = self._queries.get(query_id)
        return query.answer if query else None
