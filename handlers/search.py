"""Typing words at the menu searches the trainings (both languages; case, accents and Arabic
diacritics ignored)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, MessageHandler, filters

from bot.context import BotContext
from bot.text import clean_text
from handlers.browse_buttons import CatalogueHome, MainMenu, SearchPage, TrainingPage
from handlers.buttons import on
from handlers.ui import button, esc, keyboard, nav_row, say, show

QUERY_MAX_CHARS = 100

async def run_search(update: Update, context: BotContext, query: str, page: int,
                     edit: bool) -> None:
    t = context.t
    result = await context.services.catalogue.search(query, page)
    if not result.total:
        text = t.to_person("No training matches “{query}”. Try another word, or browse the catalogue.",
                   query=esc(query))
        rows = [[button(t._("📚 Training catalogue"), CatalogueHome())]]
        return await (show if edit else say)(update, text, keyboard(rows))
    rows = [[button(f"{t.pick(r.title_fr, r.title_ar)} ({t.number(r.upcoming)})",
                    TrainingPage(r.id))] for r in result.items]
    # The page buttons carry the query (cut to fit callback data: see SearchPage).
    rows.append(nav_row(t, result.page, result.pages, lambda n: SearchPage.of(n, query)))
    rows.append([button(t._("⬅ Main menu"), MainMenu())])
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


async def on_page(update: Update, context: BotContext, press: SearchPage) -> None:
    await run_search(update, context, press.text, press.page, edit=True)


def register(app: Application) -> None:
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND
                                   & filters.ChatType.PRIVATE, on_text))
    app.add_handler(on(SearchPage, on_page))
