"""/charts: the three charts rendered as images in the person's language; Arabic labels laid out
right to left with joined letters, in the packaged Arabic font; scope and bad input."""

from __future__ import annotations

import io

from PIL import Image

from bot.services.charts import _font
from handlers.charts import ChooseChart, DrawChart
from tests.conftest import onboard
from tests.reports_data import evaluate, finished_session, staff

PRESENTATION_FORMS = range(0xFB50, 0xFEFF)  # the joined shapes arabic-reshaper produces


async def chart(client, t, name: str, period: str):
    await client.send("/charts")
    await client.click(name)
    await client.click(t._(period))
    message = client.last_message
    assert message.photo is not None, message.text
    image = Image.open(io.BytesIO(message.photo.data))
    assert image.format == "PNG" and image.width >= 600 and image.height >= 300
    return message


async def evaluated_session(app):
    sid = await finished_session(app, "T-CH-1", [(9100 + i, "F" if i % 2 else "M", "MJ", "attended")
                                                 for i in range(6)], training="IA-101")
    await evaluate(app, sid, [5, 4, 4, 3, 5, 2])
    return sid


async def test_the_three_charts_in_french(app, person, fr):
    await evaluated_session(app)
    coord = await staff(app, person, 9110, "fr")
    message = await chart(coord, fr, fr._("👩👨 Registrations and attendance by sex"), "All time")
    assert fr._("Registrations and attendance by sex, per administration") in message.caption
    message = await chart(coord, fr, fr._("⭐ Satisfaction per training"), "All time")
    assert fr._("Overall satisfaction per training (hot evaluations)") in message.caption
    message = await chart(coord, fr, fr._("📈 Fill rate over time"), "This year")
    assert fr._("Fill rate of sessions over time") in message.caption


def font_path() -> str:
    """The file matplotlib draws chart text with."""
    from matplotlib import font_manager

    return font_manager.findfont(font_manager.FontProperties(family=_font()), fallback_to_default=False)


def laid_out(text: str):
    """What matplotlib draws for a text: [(character, glyph)] in visual order, and the font."""
    from matplotlib import _text_helpers
    from matplotlib.ft2font import FT2Font

    font = FT2Font(font_path())
    return [(item.char, item.glyph_index) for item in _text_helpers.layout(text, font)], font


async def test_the_three_charts_in_arabic(app, person, ar):
    await evaluated_session(app)
    coord = await staff(app, person, 9111, "ar")
    for name, title in (("⭐ Satisfaction per training",
                         "Overall satisfaction per training (hot evaluations)"),
                        ("📈 Fill rate over time", "Fill rate of sessions over time"),
                        ("👩👨 Registrations and attendance by sex",
                         "Registrations and attendance by sex, per administration")):
        message = await chart(coord, ar, ar._(name), "All time")
        assert message.caption.startswith(ar._(title))


async def test_arabic_labels_are_shaped(app, ar):
    await evaluated_session(app)
    service = app.bot_data.charts
    scope = service.indicators.scope("all")
    drawn = await service.render("sex", scope, ar)
    assert "وزارة العدل" in drawn.texts  # labels, in the reader's language
    assert ar._("Registrations and attendance by sex, per administration") in drawn.texts
    drawn = await service.render("satisfaction", scope, ar)
    assert "الذكاء الاصطناعي التوليدي في خدمة الإدارة" in drawn.texts
    drawn = await service.render("fill", scope, ar)
    assert ar.month(2026, 11) in drawn.texts
    # How matplotlib lays them out: right to left, letters joined (HarfBuzz through libraqm).
    glyphs, font = laid_out("العدل")
    assert "".join(c for c, _ in glyphs) == "لدعلا"  # visual order: the last letter leftmost
    nominal = font.get_charmap()
    assert dict(glyphs)["ع"] != nominal[ord("ع")]  # the medial form, not the letter alone
    glyphs, _ = laid_out("يناير 2026")  # a month: digits stay left to right, before the word
    assert "".join(c for c, _ in glyphs) == "2026 رياني"
    # The same check with the reference shapers: arabic-reshaper's joined forms and
    # python-bidi's visual order name the same letters in the same places.
    from arabic_reshaper import reshape
    from bidi.algorithm import get_display

    reference = get_display(reshape("وزارة العدل"))
    glyphs, _ = laid_out("وزارة العدل")
    assert len(glyphs) == len(reference)
    assert all(ord(r) in PRESENTATION_FORMS or r == " " for r in reference)
    assert font_path().endswith("IBMPlexSansArabic-Regular.ttf")


async def test_focal_points_chart_their_administration_and_officials_get_none(app, person, fr, ar):
    await evaluated_session(app)
    await finished_session(app, "T-CH-2", [(9120, "F", "MEF", "attended")])
    focal = await staff(app, person, 9121, "ar", "focal_point", "MJ")
    message = await chart(focal, ar, ar._("👩👨 Registrations and attendance by sex"), "All time")
    assert "وزارة العدل" in message.caption
    service = app.bot_data.charts
    drawn = await service.render("sex", service.indicators.scope("all", "MJ"), ar)
    assert "وزارة العدل" in drawn.texts
    assert "وزارة الاقتصاد والمالية" not in drawn.texts
    # Nothing to draw: nobody of the HCP answered an evaluation.
    other = await staff(app, person, 9123, "ar", "focal_point", "HCP")
    await other.send("/charts")
    await other.click(ar._("⭐ Satisfaction per training"))
    await other.click(ar._("This month"))
    assert other.last_message.text == ar._("Nothing to draw for this period.")
    for data in (DrawChart("pie", "all").pack(), DrawChart("sex", "decade").pack(),
                 ChooseChart("pie").pack(), "v1:chart:sex:all", "v1:chart:d:sex"):
        await focal.click_data(data, focal.last_message)
        assert focal.last_answer["text"] == ar._("This button is no longer valid."), data
    await onboard(app, 9122, "fr")
    official = person(9122, "fr")
    shown = await official.send("/charts")
    assert shown[-1].text == fr._("This command is reserved for coordinators and focal points.")
    for press in (ChooseChart("sex"), DrawChart("sex", "all")):
        await official.click_data(press.pack(), shown[-1])
        assert official.last_answer["text"] == fr._("This command is reserved for coordinators and focal "
                                                    "points.")
    assert all(m.photo is None for m in official.messages)
