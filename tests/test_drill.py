"""The drill of `make drill`, small: the real `etamkeen run` process, Telegram played by the
feeder over loopback HTTP, a SIGKILL in the middle of a burst of registrations during a
broadcast, a restart, a drain and a SIGTERM. Nobody who tapped is left with nothing, nobody is
registered twice, no message is lost, duplicates stay within what was in flight, and the
check-in session never goes past its capacity."""

from __future__ import annotations

from bench.drill import Outcome, Plan, crash_phase


async def test_a_kill_in_the_middle_of_a_burst_loses_nothing(tmp_path):
    plan = Plan(audience=300, tappers=60, racers=20, kill_after=25, deadline_s=90)
    out = Outcome()
    await crash_phase(plan, tmp_path / "drill.db", tmp_path, out)
    figures = out.figures
    assert figures["drill_lost_updates"] == 0, out.notes
    assert figures["drill_duplicate_registrations"] == 0, out.notes
    assert figures["drill_outbox_lost"] == 0, out.notes
    assert figures["drill_capacity_overflow"] == 0, out.notes
    assert figures["drill_duplicated_messages"] <= figures["drill_in_flight_at_kill"], out.notes
    assert "SIGTERM: exit code 0" in out.notes
