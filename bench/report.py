"""Human-readable tables for a workload, before its `BENCH <name> <value>` lines."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from bench.common import Figure, Round, median, percentile_ms
from tgsandbox.state import Call
from tgsandbox.view import keyboard_rows


@dataclass
class Mix:
    """Bot API calls of some rounds: per method, how many, and their mean text and keyboard."""

    updates: int = 0
    count: Counter[str] = field(default_factory=Counter)
    text_chars: Counter[str] = field(default_factory=Counter)
    buttons: Counter[str] = field(default_factory=Counter)

    @classmethod
    def of(cls, rounds: list[Round]) -> Mix:
        mix = cls()
        for r in rounds:
            mix.updates += r.updates
            for _, call in r.calls:
                mix.count[call.method] += 1
                # A document's caption is its text (browse sends none: its figures are unchanged).
                mix.text_chars[call.method] += len(call.params.get("text") or call.params.get("caption")
                                                   or "")
                mix.buttons[call.method] += buttons_of(call)
        return mix

    @property
    def per_update(self) -> float:
        return self.count.total() / self.updates if self.updates else 0.0

    def rate(self, method: str) -> float:
        return self.count[method] / self.updates if self.updates else 0.0

    def mean_text(self, method: str) -> float:
        return self.text_chars[method] / self.count[method] if self.count[method] else 0.0

    def mean_buttons(self, method: str) -> float:
        return self.buttons[method] / self.count[method] if self.count[method] else 0.0


def buttons_of(call: Call) -> int:
    """How many buttons a call's inline keyboard has."""
    markup = call.params.get("reply_markup")
    return sum(len(row) for row in keyboard_rows(markup)) if isinstance(markup, dict) else 0


def rounds_table(ours: list[Round], floor: list[Round]) -> list[str]:
    """Throughputs round by round, and how busy the event loop was (the rest: waiting)."""
    lines = [f"{'round':<8}{'ours upd/s':>12}{'floor upd/s':>13}{'ratio':>8}"
             f"{'loop busy ours':>16}{'floor':>7}"]
    for i, (o, f) in enumerate(zip(ours, floor, strict=True), 1):
        lines.append(f"{i:<8}{o.per_s:>12.1f}{f.per_s:>13.1f}{o.per_s / f.per_s:>8.2f}"
                     f"{o.loop_busy:>15.0%}{f.loop_busy:>8.0%}")
    mo, mf = median([r.per_s for r in ours]), median([r.per_s for r in floor])
    lines.append(f"{'median':<8}{mo:>12.1f}{mf:>13.1f}{mo / mf:>8.2f}")
    return lines


def mix_table(ours: Mix, floor: Mix) -> list[str]:
    lines = [f"{'Bot API method':<22}{'calls/update':>18}{'text chars':>16}{'buttons':>14}",
             f"{'':<22}{'ours  floor':>18}{'ours  floor':>16}{'ours floor':>14}"]
    for method in sorted(set(ours.count) | set(floor.count)):
        lines.append(
            f"{method:<22}{ours.rate(method):>11.3f}{floor.rate(method):>7.3f}"
            f"{ours.mean_text(method):>10.0f}{floor.mean_text(method):>6.0f}"
            f"{ours.mean_buttons(method):>9.1f}{floor.mean_buttons(method):>5.1f}")
    lines.append(f"{'all':<22}{ours.per_update:>11.3f}{floor.per_update:>7.3f}")
    return lines


def latency_table(ours: list[Round], floor: list[Round]) -> list[str]:
    lines = [f"{'latency per update':<20}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}"]
    for name, rounds in (("ours", ours), ("floor", floor)):
        lat = [x for r in rounds for x in r.latencies]
        lines.append(f"{name:<20}{percentile_ms(lat, 50):>9.2f}{percentile_ms(lat, 99):>9.2f}"
                     f"{percentile_ms(lat, 100):>9.2f}")
    lines.append("(from feeding an update to the end of its processing, queueing behind the people in "
                 "flight included; the floor never waits for anything, so it runs one update at a time)")
    return lines


def comparison(ours_name: str, floor_name: str, ours: list[Round], floor: list[Round],
               errors: int, target: float) -> list[Figure]:
    """The figures every ours-versus-floor workload prints, medians over the alternated rounds."""
    ours_per_s, floor_per_s = median([r.per_s for r in ours]), median([r.per_s for r in floor])
    ratio = ours_per_s / floor_per_s if floor_per_s else 0.0
    latencies = [x for r in ours for x in r.latencies]
    floor_latencies = [x for r in floor for x in r.latencies]
    return [
        Figure(f"{ours_name}_updates_per_s", ours_per_s),
        Figure(f"{floor_name}_updates_per_s", floor_per_s),
        Figure(f"{ours_name}_ratio", ratio),
        Figure(f"{ours_name}_calls_per_update", Mix.of(ours).per_update),
        Figure(f"{floor_name}_calls_per_update", Mix.of(floor).per_update),
        Figure(f"{ours_name}_p50_ms", percentile_ms(latencies, 50)),
        Figure(f"{ours_name}_p99_ms", percentile_ms(latencies, 99)),
        Figure(f"{floor_name}_p50_ms", percentile_ms(floor_latencies, 50)),
        Figure(f"{floor_name}_p99_ms", percentile_ms(floor_latencies, 99)),
        Figure(f"{ours_name}_errors", errors),
        Figure(f"{ours_name}_target_met", int(ratio >= target)),
    ]
