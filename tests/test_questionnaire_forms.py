"""Questionnaires authored as XLSForm-like workbooks (issue 17): parsed in the catalogue's worker,
every problem with sheet, row, column and a reason code, a preview against the stored version,
applied as a new version (old answers keep their version's labels), the defaults exported in the
same format, skip conditions parsed, never evaluated."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from bot.services.form_workbook import CHOICES, SETTINGS, SURVEY, read_form
from bot.services.questionnaire_forms import QuestionnaireForms, sheets, workbook_bytes
from bot.storage import evaluations as ev
from bot.storage import forms
from bot.storage.conditions import holds, parse
from bot.storage.db import Database
from bot.storage.evaluations import Answer
from bot.storage.migrations import LATEST, migrate, version_of
from bot.timeutil import to_db
from tests.old_schema import NOW, attended_registration

AGREE = [["agree", str(i), f"Niveau {i}", f"مستوى {i}"] for i in range(1, 6)]


def row(name, type_, fr="Question ?", ar="سؤال؟", choices="", required="oui", relevant="",
        correct="", points="", area=""):
    return [name, type_, fr, ar, choices, required, relevant, correct, points, area]


GOOD = [row("useful", "scale", choices="agree"), row("mode", "single", choices="modes"),
        row("why", "text", required="non", relevant="${mode} = 'online'"),
        row("hours", "number", relevant="${useful} >= 4"), row("again", "yes_no"),
        row("tools", "multiple", choices="modes", required="non")]
MODES = [["modes", "online", "En ligne", "عن بعد"], ["modes", "room", "En salle", "حضوريا"]]
SURVEY_SETTINGS = ["enquete-outils", "survey", 1, "Nos outils", "أدواتنا", "", ""]


def book(survey=GOOD, choices=AGREE + MODES, settings=SURVEY_SETTINGS, drop=(), headers=None) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title, head, rows in (("survey", SURVEY, survey), ("choices", CHOICES, choices),
                              ("settings", SETTINGS, [settings])):
        if title in drop:
            continue
        ws = wb.create_sheet(title)
        ws.append((headers or {}).get(title, head))
        for r in rows:
            ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_good_workbook_becomes_a_form_record():
    parsed = read_form(book())
    assert parsed.problems == []
    form = parsed.form
    assert (form["form"], form["kind"], form["version"], form["title_ar"]) == ("enquete-outils", "survey", 1,
                                                                              "أدواتنا")
    by_id = {q["qid"]: q for q in form["questions"]}
    assert [q["qid"] for q in form["questions"]] == ["useful", "mode", "why", "hours", "again", "tools"]
    assert by_id["useful"]["type"] == "scale"
    assert by_id["useful"]["options"][4] == ["5", "Niveau 5", "مستوى 5"]
    assert by_id["mode"]["type"] == "choice" and by_id["tools"]["type"] == "multi"
    assert by_id["again"]["options"] == [["yes", "Oui", "نعم"], ["no", "Non", "لا"]]
    assert by_id["why"]["relevant"] == "${mode} = 'online'" and by_id["why"]["required"] is False
    assert by_id["hours"]["relevant"] == "${useful} >= 4" and by_id["hours"]["type"] == "number"


TEST_SETTINGS = ["quiz-cyber", "test", 1, "Quiz", "اختبار", "", "2"]
QUIZ = [row("q1", "single", choices="modes", correct="online", points="2"), row("q2", "yes_no", correct="no")]
SELF_SETTINGS = ["digcomp", "self_assessment", 2, "Profil", "ملف", "", ""]


@pytest.mark.parametrize("case, kwargs, expected", [
    ("no survey sheet", {"drop": ("survey",)}, ("survey", None, None, "missing_sheet")),
    ("no label column", {"headers": {"survey": [c for c in SURVEY if c != "label_ar"]}},
     ("survey", 1, "label_ar", "missing_column")),
    ("blank label", {"survey": [row("a", "text", fr="")]}, ("survey", 2, "label_fr", "required")),
    ("bad id", {"survey": [row("Bad id", "text")]}, ("survey", 2, "name", "bad_name")),
    ("twice", {"survey": [row("a", "text"), row("a", "text")]}, ("survey", 3, "name", "duplicate")),
    ("type", {"survey": [row("a", "slider")]}, ("survey", 2, "type", "bad_type")),
    ("required", {"survey": [row("a", "text", required="peut-être")]},
     ("survey", 2, "required", "bad_choice")),
    ("no list", {"survey": [row("a", "single")]}, ("survey", 2, "choices", "missing_list")),
    ("unknown list", {"survey": [row("a", "single", choices="nope")]},
     ("survey", 2, "choices", "unknown_list")),
    ("scale list", {"survey": [row("a", "scale", choices="modes")]},
     ("survey", 2, "choices", "scale_choices")),
    ("list on text", {"survey": [row("a", "text", choices="modes")]},
     ("survey", 2, "choices", "unexpected_list")),
    ("syntax", {"survey": [row("a", "text"), row("b", "text", relevant="__import__('os')")]},
     ("survey", 3, "relevant", "bad_relevant")),
    ("later question", {"survey": [row("a", "text", relevant="${b} = 'x'"), row("b", "text")]},
     ("survey", 2, "relevant", "relevant_unknown")),
    ("not a code", {"survey": [row("m", "single", choices="modes"),
                               row("b", "text", relevant="${m} = 'bus'")]},
     ("survey", 3, "relevant", "relevant_value")),
    ("number on a choice", {"survey": [row("m", "single", choices="modes"),
                                       row("b", "text", relevant="${m} >= 2")]},
     ("survey", 3, "relevant", "relevant_value")),
    ("correct in a survey", {"survey": [row("a", "yes_no", correct="yes")]},
     ("survey", 2, "correct", "not_a_test")),
    ("scale in a test", {"survey": [row("a", "scale", choices="agree")], "settings": TEST_SETTINGS},
     ("survey", 2, "type", "not_scorable")),
    ("no right answer", {"survey": [row("a", "yes_no"), *QUIZ], "settings": TEST_SETTINGS},
     ("survey", 2, "correct", "missing_correct")),
    ("wrong right answer", {"survey": [row("a", "single", choices="modes", correct="bus")],
                            "settings": TEST_SETTINGS}, ("survey", 2, "correct", "bad_correct")),
    ("points", {"survey": [row("a", "yes_no", correct="no", points="-1")], "settings": TEST_SETTINGS},
     ("survey", 2, "points", "bad_number")),
    ("version", {"settings": ["f", "survey", "deux", "T", "ت", "", ""]},
     ("settings", 2, "version", "bad_number")),
    ("kind", {"settings": ["f", "exam", 1, "T", "ت", "", ""]}, ("settings", 2, "kind", "bad_choice")),
    ("no pass mark", {"survey": QUIZ, "settings": TEST_SETTINGS[:6] + [""]},
     ("settings", 2, "pass_mark", "required")),
    ("pass mark above total", {"survey": QUIZ, "settings": TEST_SETTINGS[:6] + ["4"]},
     ("settings", 2, "pass_mark", "bad_pass_mark")),
    ("training of a survey", {"settings": ["f", "survey", 1, "T", "ت", "CYB-101", ""]},
     ("settings", 2, "training", "training_kind")),
    ("statement without area", {"survey": [row("a", "scale", choices="agree")], "settings": SELF_SETTINGS},
     ("survey", 2, "area", "missing_area")),
    ("not a scale", {"survey": [row("a", "text", area="safety")], "settings": SELF_SETTINGS},
     ("survey", 2, "type", "not_scale")),
    ("empty", {"survey": []}, ("survey", None, None, "no_questions")),
])
def test_each_problem_is_reported_with_sheet_row_column_and_code(case, kwargs, expected):
    parsed = read_form(book(**kwargs))
    assert parsed.form is None
    assert expected in [(p.sheet, p.row, p.column, p.code) for p in parsed.problems], parsed.problems


def test_a_file_that_is_not_a_workbook():
    assert [p.code for p in read_form(b"PK not really").problems] == ["not_workbook"]


def test_skip_conditions_are_parsed_never_evaluated():
    assert parse("${a} = 'x'").text() == "${a} = 'x'"
    assert parse('${n}>=3,5').text() == "${n} >= 3.5"
    for bad in ("__import__('os').system('x')", "${a} = x", "${a} > 'x'", "${A} = 'x'", "${a} == 'x'"):
        assert parse(bad) is None, bad
    assert holds(parse("${m} = 'online'"), {"m": Answer(choice="room,online")})  # among several
    assert not holds(parse("${m} != 'online'"), {"m": Answer(choice="online")})
    assert holds(parse("${s} >= 4"), {"s": Answer(score=4)})
    assert not holds(parse("${s} > 4"), {"s": Answer(score=4)})
    assert not holds(parse("${s} >= 4"), {})  # unanswered: nothing holds
    assert not holds(parse("${s} < 4"), {"s": Answer(skipped=True)})


@pytest.fixture
async def db(tmp_path):
    db = await Database.open(tmp_path / "forms.db")
    await migrate(db)
    yield db
    await db.close()


async def test_the_skip_condition_leads_the_questionnaire(db, clock):
    service = QuestionnaireForms(db, clock)
    applied = await service.apply(book(), actor_id=None)
    assert applied.ok and applied.added == ["useful", "mode", "why", "hours", "again", "tools"]
    qn = await db.read(ev.get_questionnaire, applied.questionnaire_id)
    answers = {"useful": Answer(score=3), "mode": Answer(choice="room")}
    assert qn.after("mode", answers) == "again"  # why (online only) and hours (useful >= 4) skipped
    answers = {"useful": Answer(score=5), "mode": Answer(choice="online")}
    assert qn.after("mode", answers) == "why" and qn.after("why", answers) == "hours"


async def test_preview_then_apply_a_new_version_keeps_old_answers_meaningful(app, clock):
    from tests.conftest import make_session, onboard

    db = app.bot_data.db
    await onboard(app, 9101)
    sid = await make_session(app, "T-FORM-V1")
    assert (await app.bot_data.registrations.join(9101, sid)).outcome == "confirmed"

    def answer_v1(conn):  # a hot response started on version 1, one answer given
        reg = conn.execute("SELECT id FROM registrations WHERE user_id = 9101").fetchone()[0]
        r = ev.create_response(conn, reg, ev.current_questionnaire(conn, "hot"), clock.now())
        ev.save_answer(conn, r, "objectives", Answer(score=4), clock.now())
        return r

    r = await db.write(answer_v1)
    service = QuestionnaireForms(db, clock)
    hot = await db.read(forms.newest, "hot")
    hot["version"] = 2
    hot["questions"][0]["label_fr"] = "Les objectifs annoncés ont été atteints."
    hot["questions"] = [q for q in hot["questions"] if q["qid"] != "materials"]
    hot["questions"].append({**hot["questions"][-1], "qid": "online", "label_fr": "En ligne ?"})
    data = workbook_bytes(hot)

    preview = await service.preview(data)
    assert preview.ok and preview.previous_version == 1
    assert (preview.added, preview.removed, preview.changed) == (["online"], ["materials"],
                                                                 {"objectives": ["label_fr"]})
    # A preview writes nothing.
    assert await db.read(lambda c: ev.current_questionnaire(c, "hot").version) == 1

    assert (await service.apply(data, actor_id=None)).ok
    old = await db.read(ev.get_questionnaire, r.questionnaire_id)
    assert old.version == 1
    assert old.question("objectives").label_fr == "Les objectifs de la formation ont été atteints."
    assert (await db.read(ev.answers, r.id))["objectives"].score == 4
    new = await db.read(lambda c: ev.current_questionnaire(c, "hot"))
    assert new.version == 2 and new.question("objectives").label_fr.startswith("Les objectifs annoncés")
    assert new.question("materials") is None
    again = await service.apply(data, actor_id=None)  # the same version twice: refused whole
    assert [(p.column, p.code) for p in again.problems] == [("version", "version_not_newer")]
    assert await db.read(lambda c: c.execute("SELECT COUNT(*) FROM questionnaires WHERE form = 'hot'")
                         .fetchone()[0]) == 2


async def test_a_training_gets_its_own_questionnaire_the_others_keep_the_default(db, clock):
    service = QuestionnaireForms(db, clock)
    now = to_db(clock.now())
    ids = await db.write(lambda c: [c.execute(
        "INSERT INTO trainings (code, title_fr, title_ar, theme_code, modality, created_at, updated_at)"
        " VALUES (?, 'T', 'ت', 'CYBER', 'presentiel', ?, ?) RETURNING id", (code, now, now)).fetchone()[0]
        for code in ("OWN-1", "OTHER-1")])
    own = ["chaud-own", "hot", 1, "À chaud", "فوري", "OWN-1", ""]
    assert (await service.apply(book(settings=own), actor_id=None)).ok
    mine = await db.read(lambda c: ev.current_questionnaire(c, "hot", ids[0]))
    other = await db.read(lambda c: ev.current_questionnaire(c, "hot", ids[1]))
    assert (mine.form, mine.questions[0].qid) == ("chaud-own", "useful")
    assert (other.form, other.version) == ("hot", 1)
    unknown = ["chaud-x", "hot", 1, "À chaud", "فوري", "NOPE", ""]
    assert [p.code for p in (await service.preview(book(settings=unknown))).problems] == ["unknown_training"]
    kind = ["chaud-own", "cold", 2, "À froid", "بعدي", "", ""]
    assert [p.code for p in (await service.preview(book(settings=kind))).problems] == ["kind_changed"]
    area = [row("a", "scale", choices="agree", area="cooking")]
    self_v2 = ["digcomp", "self_assessment", 2, "Profil", "ملف", "", ""]
    problems = (await service.preview(book(survey=area, settings=self_v2))).problems
    assert [(p.row, p.code) for p in problems] == [(2, "unknown_area")]


@pytest.mark.parametrize("form_id", ["hot", "cold", "digcomp"])
async def test_the_defaults_round_trip_through_the_workbook(db, clock, form_id):
    stored = await db.read(forms.newest, form_id)
    exported = await QuestionnaireForms(db, clock).export(form_id)
    parsed = read_form(exported)
    assert parsed.problems == []
    assert parsed.form["questions"] == stored["questions"]
    assert (parsed.form["kind"], parsed.form["version"]) == (stored["kind"], stored["version"])
    if form_id == "hot":  # the agreement scale is one list, shared by the six questions using it
        assert sum(1 for r in sheets(stored)["choices"] if r[0] == "objectives") == 5


async def test_the_migration_keeps_every_answer_and_its_version(tmp_path):
    db = await Database.open(tmp_path / "old.db")
    try:
        step = version_of("_learning")  # the migration under test
        await migrate(db, target=step - 1)

        def old_answers(conn):
            now = NOW
            attended_registration(conn, now)
            conn.execute("INSERT INTO responses (id, registration_id, questionnaire_id, kind, started_at,"
                         " updated_at, submitted_at) VALUES (1, 1, 2, 'cold', ?, ?, ?)", (now, now, now))
            conn.execute("INSERT INTO answers (response_id, questionnaire_id, qid, choice, answered_at)"
                         " VALUES (1, 2, 'applied', 'regularly', ?)", (now,))

        await db.raw_write(old_answers)
        assert await migrate(db) == list(range(step, LATEST + 1))
        rows = await db.read(lambda c: c.execute(
            "SELECT q.form, q.version, k.label_fr, a.choice FROM answers a JOIN questionnaires q"
            " ON q.id = a.questionnaire_id JOIN questions k ON k.questionnaire_id = a.questionnaire_id"
            " AND k.qid = a.qid").fetchall())
        assert [tuple(r) for r in rows] == [("cold", 1, "Avez-vous appliqué dans votre travail ce que vous"
                                            " avez appris ?", "regularly")]
        assert await db.read(lambda c: c.execute("PRAGMA foreign_key_check").fetchall()) == []
    finally:
        await db.close()
