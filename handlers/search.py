"""Typing words at the menu searches the trainings (both languages; case, accents and Arabic
diacritics ignored)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.context import BotContext
from bot.text import clean_text
from handlers.ui import button, esc, keyboard, nav_row, parse, say, show, to_int

QUERY_MAX_CHARS = 100
# v1:q:<page>:<query> must fit in 64 bytes; the query is cut (on a character) to fit.
_QUERY_BYTES = 64 - len("v1:q:999:")


def _fit(query: str) -> str:
    data = query.replace(":", " ").encode()[:_QUERY_BYTES]
    return data.decode(errors="ignore").strip()


async def run_search(update: Update, context: BotContext, query: str, page: int,
                     edit: bool) -> None:
    t = context.t
    result = await context.services.catalogue.search(query, page)
    if not result.total:
        text = t.to_person("No training matches “{query}”. Try another word, or browse the catalogue.",
                   query=esc(query))
        rows = [[button(t._("📚 Training catalogue"), "cat", "h", "..")]]
        return await (show if edit else say)(update, text, keyboard(rows))
    short = _fit(query)
    rows = [[button(f"{t.pick(r.title_fr, r.title_ar)} ({t.number(r.upcoming)})", "cat", "t",
                    r.id, "..", 0)] for r in result.items]
    rows.append(nav_row(t, result.page, result.pages, "q", after=(short,)))
    rows.append([button(t._("⬅ Main menu"), "menu", "home")])
    text = t.ngettext("{n} training matches “{query}” (upcoming sessions in brackets):",
                      "{n} trainings match “{query}” (upcoming sessions in brackets):",
                      result.total, query=esc(query))
    await (show if edit else say)(update, text, keyboard(rows))


async def on_text(update: Update, context: BotContext) -> None:
    """Free text outside any flow: a search."""
    query = clean_text(update.message.text or "")
    if len(query) > QUERY_MAX_CHARS:
        return await say(update, context.t._("That is a long text! Please search with a few "
                                             "words (at most {max} characters).",
                                             max=context.t.number(QUERY_MAX_CHARS)))
    if len(query) < 2:
        return await say(update, context.t._("Please type at least two letters to search."))
    await run_search(update, context, query, 0, edit=False)


async def on_page(update: Update, context: BotContext) -> None:
    parts = parse(update.callback_query.data, "q") or []
    page = to_int(parts[0]) if parts else None
    if page is None or len(parts) != 2 or not parts[1]:
        return await show(update, context.t._("This button is no longer valid."))
    await run_search(update, context, parts[1], page, edit=True)


def register(app: Application) -> None:
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND
                                   & filters.ChatType.PRIVATE, on_text))
    app.add_handler(CallbackQueryHandler(on_page, pattern=r"^v1:q:"))
