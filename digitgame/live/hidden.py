"""How long a timed round was out of sight (help over it), so that its clocks can skip that time (no pygame)."""

from __future__ import annotations


class OutOfSight:
    """Fed every frame with whether the round is covered; says how long it was, once it is seen again."""

    def __init__(self) -> None:
        self._since = 0.0  # when it went out of sight (0: it is in sight)

    def hidden_for(self, now: float, *, is_covered: bool) -> float | None:
        """None while covered (the round waits); else the seconds it was covered until ``now`` (0.0: it was not)."""
        if is_covered:
            self._since = self._since or now
            return None
        hidden, self._since = (now - self._since if self._since else 0.0), 0.0
        return hidden
