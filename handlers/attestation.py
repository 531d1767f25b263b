"""Attestations (/attestation: a PDF of participation per attended session, and de réussite
where the final test reached the pass mark) and their verification by anyone (/verify CODE, or
the link of the QR code printed on it), which says what kind of attestation the code proves."""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import InputFile, Update
from telegram.ext import Application, ApplicationHandlerStop, CommandHandler, filters

from bot.context import BotContext
from bot.i18n import Translator
from bot.services.attestations import AttestationKind
from bot.services.outcomes import Issuance, Verification
from handlers import gate
from handlers.buttons import Callback, StaleButton, on
from handlers.questionnaire_buttons import OpenQuestionnaire
from handlers.ui import answer, button, esc, keyboard, say, send_file

VERIFY_PAYLOAD = re.compile(r"^v_([0-9A-Za-z]{10})$")


@dataclass(frozen=True)
class Attestation(Callback, feature="cert", action="get"):
    """The attestation of one attended session (the service checks the registration is the
    person's own)."""

    registration: int


@dataclass(frozen=True)
class Success(Callback, feature="cert", action="win"):
    """The attestation de réussite of one session (the service checks the pass)."""

    registration: int


async def attestation_command(update: Update, context: BotContext) -> None:
    """/attestation: the sessions the person attended, one button each."""
    t = context.t
    done = await context.services.attestations.available(context.person.user_id)
    if not done:
        return await say(update, t._("You have no attestation yet: one is available for every session "
                                     "you attended, once it is over."))
    passed = await context.services.attestations.passed(context.person.user_id)
    rows = []
    for m in done[:30]:
        label = f"{t.short_date(m.starts_at)} · {t.pick(m.title_fr, m.title_ar)}"
        rows.append([button(f"📄 {label}", Attestation(m.registration.id))])
        if m.registration.id in passed:
            rows.append([button(f"🏅 {label}", Success(m.registration.id))])
    if passed:
        # TRANSLATORS: 📄 and 🏅 are the marks of the two kinds of buttons listed below it.
        header = t.to_person("<b>Your attestations</b>\n📄 of participation, 🏅 de réussite (final test "
                             "passed). Choose one:")
    else:
        header = t.to_person("<b>Your attestations of participation</b>\nChoose a session:")
    await say(update, header, keyboard(rows))


async def send_attestation(update: Update, context: BotContext, registration_id: int,
                           kind: AttestationKind = AttestationKind.PARTICIPATION) -> None:
    t = context.t
    services = context.services
    issued = await services.attestations.issue(context.person.user_id, registration_id, kind)
    if issued.outcome is Issuance.NEEDS_EVALUATION:
        await answer(update)
        rows = [[button(t._("📝 Answer the questionnaire"), OpenQuestionnaire(registration_id, "hot"))]]
        return await say(update, t._("Your attestation will be available once you have answered the "
                                     "evaluation questionnaire of this session."), keyboard(rows))
    if issued.outcome is not Issuance.OK:
        text = {Issuance.NOT_ATTENDED: t._("An attestation needs your attendance to be recorded by the "
                                           "trainer."),
                Issuance.NOT_ENDED: t._("The attestation will be available at the end of the session."),
                Issuance.NOT_PASSED: t._("An attestation de réussite needs a final test score at or above "
                                  "the pass mark."),
                }.get(issued.outcome)
        if text is None:
            raise StaleButton  # not the presser's registration, or gone
        return await answer(update, text, alert=True)
    await answer(update, t._("Preparing your attestation…"))
    await _send_pdf(update, context, issued.attestation)


async def _send_pdf(update: Update, context: BotContext, a) -> None:
    t = context.t
    pdf = await context.services.attestations.pdf(a, context.services.bot_username)
    title = esc(t.pick(a.title_fr, a.title_ar))
    if a.kind == AttestationKind.SUCCESS:
        caption = t._("🏅 Your attestation de réussite in <b>{title}</b>.\nVerification code: "
                      "<code>{code}</code> (anyone can check it with /verify {code}).",
                      title=title, code=a.code)
        name = f"attestation-reussite-{a.reference}-{a.code}.pdf"
    else:
        caption = t._("📄 Your attestation of participation in <b>{title}</b>.\nVerification code: "
                      "<code>{code}</code> (anyone can check it with /verify {code}).",
                      title=title, code=a.code)
        name = f"attestation-{a.reference}-{a.code}.pdf"
    await send_file(update, t, InputFile(pdf, filename=name), caption)


async def send_all(update: Update, context: BotContext) -> int:
    """Every attestation the person can have, as PDFs (before an erasure); returns how many
    wait for an evaluation questionnaire and could not be sent."""
    services = context.services
    user_id = context.person.user_id
    waiting = 0
    passed = await services.attestations.passed(user_id)
    for m in await services.attestations.available(user_id):
        kinds = [AttestationKind.PARTICIPATION]
        if m.registration.id in passed:
            kinds.append(AttestationKind.SUCCESS)
        for kind in kinds:
            issued = await services.attestations.issue(user_id, m.registration.id, kind)
            if issued.outcome is Issuance.OK:
                await _send_pdf(update, context, issued.attestation)
        waiting += issued.outcome is Issuance.NEEDS_EVALUATION
    return waiting


async def on_attestation(update: Update, context: BotContext, press: Attestation) -> None:
    await send_attestation(update, context, press.registration)


async def on_success(update: Update, context: BotContext, press: Success) -> None:
    await send_attestation(update, context, press.registration, AttestationKind.SUCCESS)


def certifies(t: Translator, a) -> str:
    """What the verified code proves: participation, a pass (with the score), a whole path."""
    if a.kind == AttestationKind.SUCCESS:
        out_of = t.number(round(a.max_score, 1))
        return t._("<b>Certifies:</b> success in the final test, {score}/{max} (pass mark {pass_mark}/{max})",
                   score=t.number(round(a.score, 1)), max=out_of, pass_mark=t.number(round(a.pass_mark, 1)))
    if a.kind == AttestationKind.PATH:
        return t._("<b>Certifies:</b> completion of the learning path")
    return t._("<b>Certifies:</b> participation in the training")


async def verify(update: Update, context: BotContext, raw: str) -> None:
    """Whether a code belongs to a genuine attestation; what it certifies if so."""
    t = context.t
    if not raw:
        return await say(update, t.to_person("Send /verify followed by the code printed on the attestation, "
                                     "for example /verify 7KX2M9PQ4T."))
    outcome, a = await context.services.attestations.verify(raw)
    if a is None:
        return await say(update, t._("❌ No attestation has this code: the document is not genuine, or "
                                     "the code was mistyped.") if outcome is Verification.NOT_FOUND else
                         t._("❌ This is not a verification code: it has 10 letters and digits."))
    dates = t.date(a.starts_at) if t.date(a.starts_at) == t.date(a.ends_at) else \
        t.span(t.date(a.starts_at), t.date(a.ends_at))
    await say(update, t._("✅ Genuine attestation of the e-TAMKEEN programme.\n<b>Name:</b> {name}\n"
                          "<b>Training:</b> {title}\n<b>Dates:</b> {dates}\n<b>Issued on:</b> {issued}",
                          name=esc(t.iso(a.full_name)), title=esc(t.pick(a.title_fr, a.title_ar)),
                          dates=dates, issued=t.date(a.issued_at)) + "\n" + certifies(t, a))


async def _early_verify(update: Update, context: BotContext) -> None:
    """/verify and verification links answer anyone, even someone who never registered: this
    runs before the flows send newcomers to onboarding, with the gatekeeper run first."""
    await gate.gate(update, context)
    text = update.effective_message.text or ""
    match = VERIFY_PAYLOAD.match(text.split(maxsplit=1)[1] if " " in text else "")
    await verify(update, context, match.group(1) if match else " ".join(context.args or []))
    raise ApplicationHandlerStop


def register_early(app: Application, group: int) -> None:
    """Handlers that must run before the flow router (its group is `group` + 1)."""
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("verify", _early_verify, filters=private), group=group)
    app.add_handler(CommandHandler("start", _early_verify, filters=private & filters.Regex(r"^/start v_")),
                    group=group)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("attestation", attestation_command))
    app.add_handler(on(Attestation, on_attestation))
    app.add_handler(on(Success, on_success))
