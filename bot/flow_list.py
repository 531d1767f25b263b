"""Every multi-step flow the router knows, in one list (bot/app.py hands it to the FlowRouter;
tests/test_flows.py checks that each is a StepFlow). Imported late, as the handlers are: the
application is assembled after the settings are read."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conversations.flow import Flow
    from conversations.onboarding import Onboarding
    from conversations.profile_edit import ProfileEdit


def declared_flows() -> tuple[Onboarding, ProfileEdit, list[Flow]]:
    """Onboarding (which the router also opens for newcomers), the profile edit (which /profile
    opens) and every flow, onboarding first."""
    from conversations import field_edit, needs_answer, new_session
    from conversations.announce import Announce
    from conversations.capacity import Capacity
    from conversations.coaching_slot import CoachingSlot
    from conversations.commentary import Commentary
    from conversations.onboarding import Onboarding
    from conversations.plan_line import PlanLine
    from conversations.plan_return import PlanReturn
    from conversations.plan_schedule import PlanScheduleFlow
    from conversations.profile_edit import ProfileEdit
    from conversations.questionnaire import Questionnaire
    from conversations.quota import QuotaFlow
    from conversations.refusal import Refusal
    from conversations.reschedule import Reschedule
    from conversations.self_assessment import SelfAssessmentFlow
    from conversations.session_part import SessionPart
    from handlers import catalogue_admin, knowledge_test, questionnaire_upload

    onboarding, profile_edit = Onboarding(), ProfileEdit()
    return onboarding, profile_edit, [
        onboarding, profile_edit, Refusal(), Announce(), Reschedule(), field_edit.FieldEdit(),
        catalogue_admin.ImportFlow(), new_session.NewSession(), Capacity(), Questionnaire(),
        PlanLine(), PlanReturn(), PlanScheduleFlow(), QuotaFlow(), Commentary(),
        needs_answer.NeedsAnswer(), SessionPart(), CoachingSlot(), knowledge_test.KnowledgeTest(),
        questionnaire_upload.FormUpload(), SelfAssessmentFlow()]
