"""Browsing the catalogue: themes → trainings → sessions → session card, with filters."""

from __future__ import annotations

from dataclasses import replace

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.services.catalogue import MODALITIES, Filters
from bot.services.registrations import Result
from handlers import labels
from handlers.browse_buttons import (
    CatalogueHome,
    MainMenu,
    ModalityFilter,
    MonthFilter,
    PlaceFilter,
    SessionCard,
    ThemePage,
    TrainingPage,
)
from handlers.buttons import Callback, on
from handlers.cards import session_button, session_card, training_card
from handlers.coaching import coaching_rows
from handlers.filters import pack, unpack
from handlers.registration_buttons import Interest
from handlers.registration_view import actions, status_lines
from handlers.session_admin_buttons import ManageSession, ManageTraining
from handlers.ui import answer, button, esc, keyboard, nav_row, pairs, say, show


def deep_link(context: BotContext, session_id: int) -> str:
    return f"https://t.me/{context.services.bot_username}?start=s_{session_id}"


def _filters(context: BotContext, packed: str) -> Filters:
    return unpack(packed, {r.code for r in context.services.reference.regions})


async def show_themes(update: Update, context: BotContext, f: Filters) -> None:
    """Home of the catalogue: the themes, with filter buttons."""
    t = context.t
    counts = await context.services.catalogue.themes(f)
    p = pack(f)
    rows = []
    for theme in context.services.reference.themes:
        if theme.code not in counts:
            continue
        _, sessions = counts[theme.code]
        name = t.pick(theme.name_fr, theme.name_ar)
        rows.append([button(f"{name} ({t.number(sessions)})", ThemePage(theme.code, p))])
    rows.append([
        button(t._("Modality: {value}", value=labels.modality(t, f.modality)) if f.modality
               # TRANSLATORS: filter button of the catalogue: no filter on the modality yet.
               else t._("Modality: all"), ModalityFilter(p)),
        button(t._("Month: {value}", value=t.month(*map(int, f.month.split("-")))) if f.month
               # TRANSLATORS: filter button of the catalogue: no filter on the month yet.
               else t._("Month: all"), MonthFilter(p)),
    ])
    rows.append([button(t._("Place: {value}", value=_region_label(context, f.region)),
                        PlaceFilter(p))])
    if f.active:
        rows.append([button(t._("✖ Clear filters"), CatalogueHome(pack(Filters())))])
    rows.append([button(t._("⬅ Main menu"), MainMenu())])
    if any(code in counts for code in (th.code for th in context.services.reference.themes)):
        text = t.to_person("<b>Training catalogue</b>\nChoose a theme (the number of upcoming sessions "
                   "is in brackets). You can also type a word to search.")
    else:
        text = t._("<b>Training catalogue</b>\nNo upcoming session matches these filters.")
    await show(update, text, keyboard(rows))


def _region_label(context: BotContext, region: str) -> str:
    t = context.t
    if not region:
        return t._("anywhere")
    if region == "online":
        return t._("online")
    ref = context.services.reference.get("regions", region)
    return t.pick(ref.name_fr, ref.name_ar) if ref else t._("anywhere")


async def show_theme(update: Update, context: BotContext, theme_code: str, f: Filters,
                     page: int) -> None:
    t = context.t
    theme = context.services.reference.get("themes", theme_code)
    if theme is None:
        await answer(update, t._("This theme no longer exists."), alert=True)
        return await show_themes(update, context, f)
    result = await context.services.catalogue.trainings(theme.code, f, page)
    p = pack(f)
    rows = [[button(f"{t.pick(r.title_fr, r.title_ar)} ({t.number(r.upcoming)})",
                    TrainingPage(r.id, p))] for r in result.items]
    rows.append(nav_row(t, result.page, result.pages, lambda n: ThemePage(theme.code, p, n)))
    # TRANSLATORS: button: back to the list of training themes.
    rows.append([button(t._("⬅ Themes"), CatalogueHome(p))])
    text = "\n".join([f"<b>{esc(t.pick(theme.name_fr, theme.name_ar))}</b>",
                      t.ngettext("{n} training", "{n} trainings", result.total)])
    await show(update, text, keyboard(rows))


async def show_training(update: Update, context: BotContext, training_id: int, f: Filters,
                        page: int) -> None:
    t = context.t
    training = await context.services.catalogue.training(training_id)
    if training is None:
        await answer(update, t._("This training is no longer in the catalogue."), alert=True)
        return await show_themes(update, context, f)
    theme = context.services.reference.get("themes", training.theme_code)
    result = await context.services.catalogue.sessions(training.id, f, page)
    p = pack(f)
    text = training_card(t, training, t.pick(theme.name_fr, theme.name_ar) if theme else "")
    if result.total:
        text += "\n\n" + t.ngettext("<b>{n} upcoming session:</b>", "<b>{n} upcoming sessions:</b>",
                                    result.total)
    else:
        text += "\n\n" + t._("No upcoming session at the moment.")
    rows = [[button(session_button(t, s), SessionCard(s.id, p))] for s in result.items]
    rows.append(nav_row(t, result.page, result.pages, lambda n: TrainingPage(training.id, p, n)))
    if result.total == 0 or all(not s.seats_left for s in result.items):
        # Nothing open: people can ask to hear first about the next session (demand for PRC).
        follows = await context.services.registrations.is_interested(context.person.user_id,
                                                                     training.id)
        rows.append([button(t._("🔕 Stop telling me about new sessions") if follows
                            else t._("🔔 Tell me when a new session opens"), Interest(training.id))])
    rows += coaching_rows(t, training)  # a coaching training: its free slots
    if context.person.has_role or context.person.user_id in context.services.settings.admins:
        if (await context.access()).manages_sessions:
            rows.append([button(t._("🛠 Manage this training"), ManageTraining(training.id))])
    # TRANSLATORS: button: back to a list of trainings.
    rows.append([button(t._("⬅ Trainings"), ThemePage(training.theme_code, p))])
    await show(update, text, keyboard(rows))


async def show_session(update: Update, context: BotContext, session_id: int, f: Filters,
                       known: Result | None = None) -> None:
    """A session's card. `known`: a registration change just committed, with the seats it left
    (no need to read them again)."""
    t = context.t
    if known is not None and known.taken is not None and known.registration is not None:
        session = await context.services.catalogue.described(session_id, known.taken)
        reg, position = known.registration, known.position
    else:
        session, reg, position = await context.services.catalogue.card(session_id,
                                                                       context.person.user_id)
    if session is None or session.status == "draft":
        gone = t._("This session no longer exists.")
        await (answer(update, gone, alert=True) if update.callback_query else say(update, gone))
        return await show_themes(update, context, f)
    now = context.services.clock.now()
    decided_by = (await context.services.registrations.decided_by(context.person.user_id)
                  if reg is not None and reg.status == "requested" else "focal_point")
    text = "\n".join([session_card(t, session, now, deep_link(context, session.id)),
                      *status_lines(t, reg, position, decided_by, session.seats_left)])
    rows = [*actions(t, session, reg, now),
            [button(t._("⬅ Sessions of this training"), TrainingPage(session.training_id,
                                                                   pack(f)))]]
    if context.person.has_role or context.person.user_id in context.services.settings.admins:
        if (await context.access()).manages_sessions and session.status == "published":
            rows.append([button(t._("🛠 Manage this session"), ManageSession(session.id))])
    await show(update, text, keyboard(rows))


async def show_filter(update: Update, context: BotContext, kind: type[Callback],
                      f: Filters) -> None:
    """The choices of one filter; picking one goes back to the themes with it applied."""
    t = context.t
    options: list[tuple[str, Filters]]
    if kind is ModalityFilter:
        title = t._("Which modality?")
        options = [(labels.modality(t, m), replace(f, modality=m)) for m in MODALITIES]
        options.insert(0, (t._("All modalities"), replace(f, modality="")))
    elif kind is MonthFilter:
        title = t._("Which month?")
        months = (await context.services.catalogue.months())[:12]
        options = [(t.month(*map(int, m.split("-"))), replace(f, month=m)) for m in months]
        options.insert(0, (t._("All months"), replace(f, month="")))
    else:
        # TRANSLATORS: question of the place filter: in which town or region?
        title = t._("Where?")
        options = [(t.pick(r.name_fr, r.name_ar), replace(f, region=r.code))
                   for r in context.services.reference.regions]
        options.insert(0, (t._("online"), replace(f, region="online")))
        options.insert(0, (t._("anywhere"), replace(f, region="")))
    buttons = [button(label, CatalogueHome(pack(choice))) for label, choice in options]
    await show(update, title, keyboard([*pairs(buttons),
                                        [button(t._("⬅ Back"), CatalogueHome(pack(f)))]]))


async def on_home(update: Update, context: BotContext, press: CatalogueHome) -> None:
    await show_themes(update, context, _filters(context, press.filters))


async def on_theme(update: Update, context: BotContext, press: ThemePage) -> None:
    await show_theme(update, context, press.theme, _filters(context, press.filters), press.page)


async def on_training(update: Update, context: BotContext, press: TrainingPage) -> None:
    await show_training(update, context, press.training, _filters(context, press.filters),
                        press.page)


async def on_session(update: Update, context: BotContext, press: SessionCard) -> None:
    await show_session(update, context, press.session, _filters(context, press.filters))


async def on_filter(update: Update, context: BotContext,
                    press: ModalityFilter | MonthFilter | PlaceFilter) -> None:
    await show_filter(update, context, type(press), _filters(context, press.filters))


async def catalogue_command(update: Update, context: BotContext) -> None:
    """/catalogue: open the catalogue."""
    await show_themes(update, context, Filters())


def register(app: Application) -> None:
    app.add_handler(CommandHandler("catalogue", catalogue_command))
    app.add_handler(on(CatalogueHome, on_home))
    app.add_handler(on(ThemePage, on_theme))
    app.add_handler(on(TrainingPage, on_training))
    app.add_handler(on(SessionCard, on_session))
    for kind in (ModalityFilter, MonthFilter, PlaceFilter):
        app.add_handler(on(kind, on_filter))
