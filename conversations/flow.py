"""Multi-step flows whose state is a draft row, not memory.

PTB's ConversationHandler keeps its state in memory and its persistence writes it on an interval,
so a kill -9 loses the last steps. Here every step writes the draft (step + answers) before it
replies, and every update of a person with a draft is routed to that step: a restart resumes at
the same step with nothing to rebuild, and there is a single source of truth.

A flow is written as data (`StepFlow`): its steps — what each asks, which typed buttons
(handlers/buttons.py) and/or text it accepts and how it reads them — the role it requires and
whether a command leaves it. The router owns the rest, the same for every flow: /cancel, other
commands, edited messages, re-authorisation on every update, the draft write and the stale or
foreign button. A flow whose state a service keeps (the questionnaire, the knowledge test: each
answer is checked and written, the draft with it, in one transaction) declares one `service_step`
whose readers answer `Shown`. A flow with its own `handle` (onboarding, on top of StepFlow's; the
/questionnaires upload screen) still runs: the router gives it the same cancel, commands, edits
and re-authorisation.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext
from bot.services.access import Role
from bot.services.people import Draft
from handlers.access import refusal
from handlers.buttons import Callback, StaleButton, no_longer_valid, stale_text
from handlers.ui import VERSION, PageCounter, answer, say


class Flow(Protocol):
    name: str
    # Commands typed in the middle abandon the flow (profile edit) instead of being refused.
    escapable: bool

    async def handle(self, update: Update, context: BotContext, draft: Draft) -> bool | None:
        """Handle the update; False lets it through to the features (the flow was left)."""


class EscapableFlow:
    """A flow any other command leaves; /cancel drops its draft and says so. The router calls
    `cancel`; a flow overrides it to keep something (answers), or `cancelled_text` to say what
    was left undone."""

    name: str
    escapable = True
    requires: Role | None = None  # re-checked by the router on every update

    def cancelled_text(self, context: BotContext) -> str:
        return context.t._("Nothing was changed.")

    async def cancel(self, update: Update, context: BotContext, draft: Draft) -> None:
        await context.services.people.drop_draft(draft.user_id, self.name)
        await say(update, self.cancelled_text(context))


# --- what a step's reader answers -----------------------------------------------------------------
@dataclass(frozen=True)
class Go:
    """Keep these answers in the draft, then ask `step` (by default the flow's `next_step`)."""

    data: dict
    step: str | None = None


@dataclass(frozen=True)
class Finish:
    """The flow is over: its draft is dropped, then `then(update, context, data)` says the result."""

    then: Callable[[Update, BotContext, dict], Awaitable[object]]
    data: dict


@dataclass(frozen=True)
class Shown:
    """The service recorded the answer and wrote the draft itself, in one transaction (a flow
    with a `service_step`): the router writes nothing and `then(update, context)` shows the
    result (the next question, a refusal, the end)."""

    then: Callable[[Update, BotContext], Awaitable[object]]


# A reader answers Go, Finish or Shown; a string is a localised refusal of the answer (the
# person stays at the step); None means the update is no answer to this question (asked again);
# False means it is not for this flow at all (the draft goes, the features handle the update).
Outcome = Go | Finish | Shown | str | None | bool
STEP = "step"  # the draft's own step, in the data a `service_step`'s readers get
LEFT = "left"  # on a kept draft: the flow was left (see StepFlow.typing_goes_on_once_left)
Ask = Callable[[Update, BotContext, dict], Awaitable[object]]
ReadText = Callable[[BotContext, dict, str], Awaitable[Outcome]]
ReadButton = Callable[[BotContext, dict, Any], Awaitable[Outcome]]
ReadDocument = Callable[[BotContext, dict, Any], Awaitable[Outcome]]  # gets telegram's Document


@dataclass(frozen=True)
class Step:
    """One question: `ask` shows it; `text` reads a typed answer (the message as typed),
    `buttons` the typed buttons accepted at this step, each with its reader, and `document` a
    file sent at this step."""

    ask: Ask
    text: ReadText | None = None
    buttons: Mapping[type[Callback], ReadButton] = field(default_factory=dict)
    document: ReadDocument | None = None


class StepFlow(EscapableFlow):
    """A flow declared as steps (see the module's docstring). Subclasses set `name`, `steps`,
    `requires`, and `next_step` when a step's answer does not name the next one."""

    steps: ClassVar[Mapping[str, Step]]
    # A button of another feature pressed mid-flow: True leaves the flow (the draft is dropped and
    # the button works as usual); False refuses it and asks the current question again.
    leaves_on_foreign_button: ClassVar[bool] = True
    # After a refused answer (a reader's string): True asks the question again below it, for a
    # flow whose question may have scrolled away (onboarding); False leaves it above.
    asks_again_after_refusal: ClassVar[bool] = False
    # True when this flow's buttons do nothing outside it: pressed while another flow is open
    # (a double tap on the button that finished this one and opened the next), they are stale
    # and the open flow stays, instead of being left and its answers dropped.
    stale_elsewhere: ClassVar[bool] = False
    # The flow's state is a service's (the current question is the draft's step, written by the
    # service with each answer): every draft of the flow is read by this one step, whatever its
    # step says, and the step's readers answer `Shown` (they find the draft's step in data[STEP]).
    service_step: ClassVar[str | None] = None
    # A command or another feature's button goes on to the features WITH the draft kept, so the
    # flow's own button resumes it where it was (the knowledge test, whose answers are the draft).
    keeps_draft_on_leave: ClassVar[bool] = False
    # With keeps_draft_on_leave: True when /cancel still stops the flow (its draft dropped, its
    # `cancelled_text` said) rather than going on to /cancel's handler (the self-assessment).
    cancel_drops_kept_draft: ClassVar[bool] = False
    # With keeps_draft_on_leave, for a flow that reads no typed answer: once left, a typed
    # message goes on to the features (a search) instead of asking the question again, until
    # one of the flow's buttons is pressed (the self-assessment).
    typing_goes_on_once_left: ClassVar[bool] = False

    def next_step(self, data: dict) -> str:
        raise NotImplementedError(f"{self.name}: a reader must name the next step")

    def off_question(self, update: Update, context: BotContext) -> str:
        """Said for an update that answers nothing here (a photo, an earlier question's button)."""
        return context.t._("Please answer the question below.")

    def owns(self, data: str | None, only: Step | None = None) -> bool:
        """Whether a button's data is of one of this flow's actions (stale or forged if it is not
        accepted at the current step), rather than another feature's; of `only`'s if given."""
        steps = [only] if only is not None else self.steps.values()
        actions = {f"{VERSION}:{kind.feature}:{kind.action}" for step in steps for kind in step.buttons}
        return bool(data) and any(data == a or data.startswith(a + ":") for a in actions)

    async def start(self, update: Update, context: BotContext, step: str, data: dict) -> None:
        """Open the flow at `step` (the caller checked what opens it)."""
        await context.services.people.save_draft(context.person.user_id, self.name, step, data)
        await answer(update)
        await self.steps[step].ask(update, context, data)

    async def handle(self, update: Update, context: BotContext, draft: Draft) -> bool | None:
        people = context.services.people
        step = self.steps.get(self.service_step or draft.step)
        if step is None:  # a step of an older release
            await people.drop_draft(draft.user_id, self.name)
            return False
        query = update.callback_query
        if query is not None and PageCounter.unpack(query.data):  # "2/5": nothing to do
            return await answer(update)
        try:
            outcome = await self._read(update, context, draft, step)
        except StaleButton:  # a button of this flow pointing at what is gone or not the presser's
            return await no_longer_valid(update, context)
        if outcome is True:  # another feature's button, the draft kept (keeps_draft_on_leave)
            await self.note_left(context, draft)
            return False
        if outcome is False:
            await people.drop_draft(draft.user_id, self.name)
            return False
        if isinstance(outcome, Shown):
            try:
                return await outcome.then(update, context)
            except StaleButton:
                return await no_longer_valid(update, context)
        if outcome is None:  # a button is told in a toast, a message by a message; then the question
            if update.callback_query is not None:
                await answer(update, self.off_question(update, context), alert=True)
            else:
                await say(update, self.off_question(update, context))
            return await step.ask(update, context, draft.data)
        if isinstance(outcome, Finish):  # `then` may answer a pressed button with a toast
            await people.drop_draft(draft.user_id, self.name)
            await outcome.then(update, context, outcome.data)
            return await answer(update)
        await answer(update)
        if isinstance(outcome, str):
            await say(update, outcome)
            if self.asks_again_after_refusal:
                await step.ask(update, context, draft.data)
            return None
        nxt = outcome.step or self.next_step(outcome.data)
        data = {k: v for k, v in outcome.data.items() if k != LEFT}  # answered here: back in it
        await people.save_draft(draft.user_id, self.name, nxt, data)
        await self.steps[nxt].ask(update, context, data)

    async def note_left(self, context: BotContext, draft: Draft) -> None:
        """The flow was left with its draft kept: remember it, for typing_goes_on_once_left."""
        if self.typing_goes_on_once_left and not draft.data.get(LEFT):
            await context.services.people.save_draft(draft.user_id, self.name, draft.step,
                                                     {**draft.data, LEFT: True})

    async def _read(self, update: Update, context: BotContext, draft: Draft, step: Step):
        """The step's reading of this update; False for another feature's button (left), True
        for one that leaves with the draft kept."""
        data = dict(draft.data)
        if self.service_step:
            data[STEP] = draft.step  # the service's current question
        query = update.callback_query
        if query is None:
            if self.typing_goes_on_once_left and data.get(LEFT):
                return True  # left earlier: a typed message is for the features
            message = update.message
            if message is not None and message.document is not None and step.document:
                return await step.document(context, data, message.document)
            typed = message.text if message else None
            return await step.text(context, data, typed) if step.text and typed else None
        for kind, read in step.buttons.items():
            value = kind.unpack(query.data)
            if value is not None:
                return await read(context, data, value)
        if self.owns(query.data, step):  # an action of this step whose data does not unpack: forged
            raise StaleButton
        if self.leaves_on_foreign_button and not self.owns(query.data):
            return True if self.keeps_draft_on_leave else False
        return None


def command_of(update: Update) -> str | None:
    """The command a message starts with (without the @botname), if any. A file captioned with a
    command (a workbook sent with /questionnaire) is that command too: it leaves a flow as typing
    it would, instead of being read as an answer."""
    message = update.message
    text = message and (message.text or message.caption)
    if not text or not text.startswith("/"):
        return None
    return text.split()[0][1:].split("@")[0].lower()


class FlowRouter:
    """Routes the updates of a person with a draft to their flow; newcomers to onboarding."""

    def __init__(self, flows: list[Flow], onboarding) -> None:
        self.flows = {f.name: f for f in flows}
        self.onboarding = onboarding

    async def __call__(self, update: Update, context: BotContext) -> None:
        if update.effective_chat is None or update.effective_chat.type != "private":
            return
        if update.my_chat_member is not None:
            return
        person = context.person
        draft = person.draft
        flow = self.flows.get(draft.flow) if draft else None
        if flow is not None and draft is not None:
            if update.edited_message is not None and flow.escapable:
                # Not an answer: its first version was read (handlers.fallback says so).
                # Onboarding, which holds newcomers, says it in its own words.
                return
            if await self._route(update, context, flow, draft):
                raise ApplicationHandlerStop
            return
        if not person.onboarded:
            await self.onboarding.begin(update, context)
            raise ApplicationHandlerStop

    def _stale_elsewhere(self, update: Update, flow: Flow) -> bool:
        """A button of another flow whose buttons mean nothing outside it (see StepFlow)."""
        query = update.callback_query
        if query is None or getattr(flow, "owns", lambda data: False)(query.data):
            return False
        return any(getattr(other, "stale_elsewhere", False) and other.owns(query.data)
                   for other in self.flows.values() if other is not flow)

    async def _route(self, update: Update, context: BotContext, flow: Flow, draft: Draft) -> bool:
        """Whether the update was handled here; False when it leaves the flow for the features."""
        command = command_of(update)
        keeps = getattr(flow, "keeps_draft_on_leave", False)  # /cancel too, unless the flow says
        stops = not keeps or getattr(flow, "cancel_drops_kept_draft", False)
        if flow.escapable and command == "cancel" and stops:
            await flow.cancel(update, context, draft)
            return True
        if flow.escapable and command is not None:
            if not keeps:
                await context.services.people.drop_draft(draft.user_id, draft.flow)
            elif isinstance(flow, StepFlow):
                await flow.note_left(context, draft)
            return False  # the command is handled as if no flow were open
        if self._stale_elsewhere(update, flow):
            await answer(update, stale_text(context.t), alert=True)
            return True
        role = getattr(flow, "requires", None)
        if role is not None and not (await context.access()).has(role):
            # The role was lost mid-flow: told as anywhere else, and the half-made answers go.
            await context.services.people.drop_draft(draft.user_id, draft.flow)
            await say(update, refusal(context.t, role))
            return True
        return await flow.handle(update, context, draft) is not False
