"""The browsing buttons (catalogue, main menu, search pages, language) in the typed grammar:
forged ones get the one polite answer and change nothing, and links built elsewhere still land."""

from __future__ import annotations

import pytest

from handlers.browse_buttons import (
    QUERY_BYTES,
    CatalogueHome,
    Help,
    LanguageMenu,
    MainMenu,
    SearchPage,
    SessionCard,
    SetLanguage,
    ThemePage,
    TrainingPage,
)
from tests.conftest import db_row, onboard

FORGED = [
    "v1:cat:s:abc:..", "v1:cat:s:²:..", "v1:cat:s:12", "v1:cat:t:1:..:-5", "v1:cat:t:1:..",
    "v1:cat:th:CYBER:..:x", "v1:cat:h", "v1:cat:h:a b", "v1:cat:fm", "v1:cat:zz",
    "v1:menu:home:1", "v1:menu:zz", "v1:lang:set:en", "v1:lang:set", "v1:lang:menu:1",
    "v1:q:2:les", "v1:q:p:x:bGVz", "v1:q:p:1:!!", "v1:q:p:1", "v1:q:p:1:bGVz:1", "v1:q:p:1:IA",
]


@pytest.mark.parametrize("lang", ["fr", "ar"])
async def test_a_forged_browsing_button_gets_the_one_answer_and_changes_nothing(app, person, lang,
                                                                                fr, ar):
    t = fr if lang == "fr" else ar
    await onboard(app, 4501, lang)
    c = person(4501, lang)
    await c.send("/catalogue")
    home = c.last_message
    for data in FORGED:
        await c.click_data(data, home)
        assert c.last_answer["text"] == t._("This button is no longer valid."), data
        assert c.last_answer.get("show_alert"), data
        now = c.last_message
        assert (now.text, now.buttons) == (home.text, home.buttons), data  # the screen stays
    assert (await db_row(app, "SELECT language FROM users WHERE id = 4501"))[0] == lang


def test_catalogue_and_menu_buttons_keep_the_data_they_had():
    """Buttons already in chats, and those other features still build from raw parts, land."""
    assert SessionCard(12).pack() == "v1:cat:s:12:.."
    assert TrainingPage(3).pack() == "v1:cat:t:3:..:0"
    assert ThemePage("CYBER", "p.2701.SMA", 2).pack() == "v1:cat:th:CYBER:p.2701.SMA:2"
    assert CatalogueHome().pack() == "v1:cat:h:.."
    assert (MainMenu().pack(), Help().pack()) == ("v1:menu:home", "v1:menu:help")
    assert (LanguageMenu().pack(), SetLanguage("ar").pack()) == ("v1:lang:menu", "v1:lang:set:ar")
    assert SessionCard.unpack("v1:cat:s:12:..") == SessionCard(12)


@pytest.mark.parametrize("query", ["les", "الأمن السيبراني", "données personnelles",
                                   "a:b/c d", "ا" * 40, "é" * 40])
def test_a_search_page_carries_any_query_cut_on_a_character(query):
    data = SearchPage.of(3, query).pack()
    assert len(data.encode()) <= 64
    press = SearchPage.unpack(data)
    assert press is not None and press.page == 3
    assert query.startswith(press.text) and len(press.text.encode()) <= QUERY_BYTES
    assert press.text == query or len(query.encode()) > QUERY_BYTES - 4


async def test_arabic_search_pages_forward_and_back(app, person, ar):
    await onboard(app, 4502, "ar")
    c = person(4502, "ar")
    total = (await db_row(app, "SELECT COUNT(*) FROM trainings WHERE search_text LIKE '%ال%'"))[0]
    assert total > 8  # two pages of a word of most Arabic titles
    shown = await c.send("ال")
    first = [b for row in shown[-1].buttons for b in row]
    pages = -(-total // 8)
    assert ar._("{page}/{pages}", page=ar.number(1), pages=ar.number(pages)) in first
    await c.click("▶")
    second = [b for row in c.last_message.buttons for b in row]
    assert ar._("{page}/{pages}", page=ar.number(2), pages=ar.number(pages)) in second
    assert c.last_message.text == ar.ngettext(  # the query came back from the button
        "{n} training matches “{query}” (upcoming sessions in brackets):",
        "{n} trainings match “{query}” (upcoming sessions in brackets):", total, query="ال")
    await c.click("◀")
    assert [b for row in c.last_message.buttons for b in row] == first
