"""How an unfinished digit reads: the sums game's case for taking back a verdict when the writer goes on.

The sums game judges an answer soon after the pen lifts (``digitgame.live.sums_play``: REST_RIGHT_S
when it already reads as the right answer, REST_S otherwise).  But the pen also lifts *inside* a
digit: a 4, a 5 or a 7 with a bar is often written in two strokes, so a writer who pauses longer
than the rest between them gets a verdict on the first strokes alone.  This measures how often
that verdict would be a wrong one: for every real writer's digit of more than one stroke (UNIPEN,
the CHOOSING writers: this sets a setting), each unfinished part (the first k strokes, where they
were written) is read as the app reads it, and counted when it reads confidently as another digit.
Such a verdict is taken back when the pen comes down again within GRACE_S.  UNIPEN has no pen
timing, so how often a writer pauses that long is not measured here.

    python benchmarks/unfinished_digits.py
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import record
from digitgame.recognition.predictor import load_predictor
from digitgame.recognition.recognizer import Recognizer
from training import realwriters
from training.evaluation import CANVAS_SIDE_PX

GROUP = "choosing"


def outcome(recognizer: Recognizer, strokes: list[list[tuple[float, float]]], label: int) -> str:
    """'other' when the strokes read confidently as another digit (a premature wrong), else 'safe'."""
    reading = recognizer.read_strokes(strokes, CANVAS_SIDE_PX, CANVAS_SIDE_PX)
    if reading.number is None or not reading.is_confident:
        return "safe"  # nothing, not a digit or unsure: "write it again", never wrong
    return "safe" if reading.number == str(label) else "other"


def measure() -> dict[str, object]:
    recognizer = Recognizer(load_predictor())
    digits = [d for d in realwriters.of_group(realwriters.read_digits(), GROUP) if realwriters.has_extent(d)]
    per_writer: dict[str, list[bool]] = defaultdict(list)  # writer -> for each digit: would a part judge it wrong
    by_label: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # label -> [multi-stroke digits, at risk]
    for d in digits:
        written = realwriters.on_canvas(d.strokes, CANVAS_SIDE_PX, realwriters.HEIGHT_SHARE)
        parts = [written[:k] for k in range(1, len(written))]
        at_risk = any(outcome(recognizer, part, d.label) == "other" for part in parts)
        per_writer[d.writer].append(at_risk)
        if parts:
            by_label[d.label][0] += 1
            by_label[d.label][1] += at_risk
    shares = sorted(sum(v) / len(v) for v in per_writer.values())
    all_at_risk = sum(sum(v) for v in per_writer.values())
    return {
        "group": GROUP,
        "writers": len(per_writer),
        "digits": len(digits),
        "multi_stroke_digits": sum(n for n, _ in by_label.values()),
        "digits_an_unfinished_part_reads_as_another_digit": all_at_risk,
        "share_of_digits": round(all_at_risk / max(1, len(digits)), 4),
        "per_writer_share_median": round(shares[len(shares) // 2], 4),
        "per_writer_share_p90": round(shares[int(len(shares) * 0.9)], 4),
        "writers_with_any": sum(s > 0 for s in shares),
        "by_digit": {str(k): {"multi_stroke": n, "at_risk": r} for k, (n, r) in sorted(by_label.items())},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    args = parser.parse_args()
    started = time.time()
    load = record.load_average()
    figures = measure()
    print(
        f"{figures['digits_an_unfinished_part_reads_as_another_digit']} of {figures['digits']} digits "
        f"({figures['multi_stroke_digits']} of more than one stroke) of {figures['writers']} {GROUP} writers: "
        f"an unfinished part reads confidently as another digit; per writer median "
        f"{figures['per_writer_share_median']:.1%}, p90 {figures['per_writer_share_p90']:.1%}"
    )
    record.publish(parser, args, "unfinished_digits", figures, started, load)
    return 0


if __name__ == "__main__":
    sys.exit(main())
