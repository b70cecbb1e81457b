"""The figures pages' tables of speed, made from the benchmarks' JSON: each figure with its target and its source.

``figures.py`` puts these into README.md (``headline``) and docs/ (``speed``, ``startup``, ...).
A table names the file each row came from, and a line under it says how that file was measured:
command, date, commit, machine, load, and the share of the CPU other processes took meanwhile.
A file not measured yet shows as such, with the command that measures it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from figformat import Row, Sources, dig, ms, seconds, table, target, when


def speed(s: Sources) -> str:
    """Reading a drawing: one digit, a number, the seed's way; then teaching's costs."""
    lat = s.figures("latency")
    one = dig(lat, "one_digit")
    num = dig(lat, "number")
    ratio = dig(lat, "keras_ratio", "median")
    p50 = dig(one, "preprocess_predict", "p50_ms")
    rows: list[Row] = [
        (
            "one drawing (pen-proxy strokes): preprocess + predict",
            ms(dig(one, "preprocess_predict")),
            target("p50 ≤ 1 ms (issue 2)", p50, "≤", 1.0),
            "latency",
        ),
        (
            "… the app's path, the ink first split into digits (`read_strokes`)",
            ms(dig(one, "read_strokes")),
            "",
            "latency",
        ),
        (
            "… LiteRT prediction alone",
            ms(dig(one, "litert")),
            target("p50 < 0.2 ms (issue 2)", dig(one, "litert", "p50_ms"), "≤", 0.2),
            "latency",
        ),
        numpy_row(s.figures("numpy_agreement")),
        (
            "… Keras `model.predict` alone, the seed's way, same model, same rounds",
            ms(dig(one, "keras"))
            + ("" if ratio is None else f": ours is **{ratio:.0f}×** faster (median of the rounds' ratios)"),
            target("≥ 50× (issue 2)", ratio, "≥", 50.0),
            "latency",
        ),
        (
            "a 4-digit number: preprocess + predict (four inputs, one model call)",
            ms(dig(num, "preprocess_predict")),
            target("p50 ≤ 2 ms (issue 12)", dig(num, "preprocess_predict", "p50_ms"), "≤", 2.0),
            "latency",
        ),
        (
            "… the whole read, the ink split into digits (`read_strokes`)",
            ms(dig(num, "read_strokes"))
            + ("" if num is None else f"; each number at its best {num['read_strokes_best_ms']:.2f} ms"),
            "",
            "latency",
        ),
        ("… splitting the ink alone", ms(dig(num, "segment")), "", "latency"),
    ]
    return table(rows + teaching_speed_rows(s), s)


def numpy_row(na: dict[str, Any] | None) -> Row:
    """The numpy fallback (where LiteRT has no wheel): one digit's model call, and its agreement with LiteRT."""
    worst = None if na is None else max(na["max_abs_difference"].values())
    agree = (
        ""
        if na is None
        else (
            f"; LiteRT {na['one_digit']['litert']['p50_ms']:.2f} ms in the same rounds; on {na['digits']:,} MNIST test "
            f"digits max \\|Δ\\| {worst:.1e}, the same answer for {na['same_answer']:,}"
        )
    )
    return (
        "… the numpy fallback's prediction alone (no LiteRT), one digit",
        ms(dig(na, "one_digit", "numpy")) + agree,
        target("outputs within 1e-5 of LiteRT (issue 21)", worst, "≤", 1e-5),
        "numpy_agreement",
    )


def teaching_speed_rows(s: Sources) -> list[Row]:
    t = s.figures("teach_speed")
    n = dig(t, "profile_examples") or "the"
    mb = "" if t is None else f", {t['profile_bytes'] / 1e6:.2f} MB with strokes"
    return [
        (
            f"read a drawing with {n} taught examples (`read_strokes` + the personal model)",
            ms(dig(t, "taught_read")),
            target("p50 ≤ 1 ms (issue 11)", dig(t, "taught_read", "p50_ms"), "≤", 1.0),
            "teach_speed",
        ),
        ("… the same drawings untaught, interleaved", ms(dig(t, "untaught_read")), "", "teach_speed"),
        ("… the personal model's own part (`adjust`)", ms(dig(t, "adjust")), "", "teach_speed"),
        (
            f"load the profile ({n} examples{mb})",
            ms(dig(t, "load_profile")),
            target("≤ 50 ms (issue 11)", dig(t, "load_profile", "p50_ms"), "≤", 50.0),
            "teach_speed",
        ),
        (
            "… with its cached embeddings, ready to read (`personal.open_folder`)",
            ms(dig(t, "open_with_cache")),
            "",
            "teach_speed",
        ),
        ("… without the cache (embeds every example's copies)", ms(dig(t, "open_without_cache")), "", "teach_speed"),
        ("teach one drawing (embed its copies, rebuild)", ms(dig(t, "teach_one")), "", "teach_speed"),
        ("save the profile atomically", ms(dig(t, "save_profile")), "", "teach_speed"),
    ]


FRAMES = {  # results file -> what was being done
    "frame_time-xvfb-draw": "frame time while drawing, live mode, Xvfb 1600×1000",
    "frame_time-xvfb-number": "… writing a 4-digit number, the answer re-read live",
    "frame_time-xvfb-practice": "… in a practice round",
    "frame_time-xvfb-sums": "… writing a sum's two-digit answer in the sums game",
    "frame_time-dummy-draw": "… drawing, under the SDL dummy driver",
}


def startup(s: Sources) -> str:
    """Launching the app and `predict`, and the frame times while drawing."""
    x, d, c = s.figures("startup-xvfb"), s.figures("startup-dummy"), s.figures("cold_start")
    first = dig(x, "first_frame", "median_s")
    ready = dig(x, "model_ready", "median_s")
    rows: list[Row] = [
        (
            "launch → first frame (Xvfb)",
            seconds(dig(x, "first_frame")),
            target("≤ 0.5 s (issue 3)", first, "≤", 0.5),
            "startup-xvfb",
        ),
        (
            "launch → model ready (Xvfb)",
            seconds(dig(x, "model_ready")),
            target("≤ 1 s (issue 3)", ready, "≤", 1.0),
            "startup-xvfb",
        ),
        ("launch → first frame (SDL dummy driver)", seconds(dig(d, "first_frame")), "", "startup-dummy"),
        (
            "cold `python -m digitgame predict one.json`",
            seconds(dig(c, "stroke_file")),
            target("≤ 1 s (issue 2)", dig(c, "stroke_file", "median_s"), "≤", 1.0),
            "cold_start",
        ),
        ("… `predict --json one.json`", seconds(dig(c, "stroke_file_json")), "", "cold_start"),
        ("… `predict one.png` (imports Pillow)", seconds(dig(c, "png")), "", "cold_start"),
    ]
    for name, what in FRAMES.items():
        f = dig(s.figures(name), "frame")
        goal = "" if "dummy" in name else target("p99 ≤ 16.7 ms (issues 3, 11, 12)", dig(f, "p99_ms"), "≤", 1000 / 60)
        rows.append((what, ms(f), goal, name))
    v, n = s.figures("sums_verdict-xvfb"), dig(s.figures("sums_verdict-xvfb"), "answers") or {}
    for kind, rest in (("right", dig(v, "rest_right_s")), ("wrong", dig(v, "rest_s"))):  # the rests: by design
        what = f"sums, {kind} answers: pen-up → verdict on screen (it rests {rest} s); the rest over → verdict"
        read = f"; {n.get(kind + '_written')} written, misread {n.get(kind + '_misread')}" if n else ""
        goal = target("p99 ≤ 500 ms (issue 22)", dig(v, kind, "p99_ms"), "≤", 500)
        rows.append((what, f"{ms(dig(v, kind))}; {ms(dig(v, kind + '_after_rest'))}{read}", goal, "sums_verdict-xvfb"))
    if u := s.figures("unfinished_digits"):  # why a verdict that came too soon is taken back by writing on
        told = f"**{u['digits_an_unfinished_part_reads_as_another_digit']}** of {u['digits']} ({u['writers']} writers)"
        rows.append(
            ("sums: real digits whose first strokes alone read as another digit", told, "", "unfinished_digits")
        )
    return table(rows, s)


def bundle(s: Sources) -> str:
    """The standalone executable: its size and how fast it starts."""
    b = s.figures("bundle_startup")
    size = dig(b, "bundle_bytes")
    rows: list[Row] = [
        (
            "bundle on disk (one folder, `du -sb`)",
            "—" if size is None else f"**{size / 1e6:.1f} MB**",
            target("≤ 100 MB (issue 4)", None if size is None else size / 1e6, "≤", 100.0),
            "bundle_startup",
        ),
        (
            "bundle: launch → first frame (Xvfb, the app's log)",
            seconds(dig(b, "first_frame")),
            target("≤ 0.5 s (issue 4)", dig(b, "first_frame", "median_s"), "≤", 0.5),
            "bundle_startup",
        ),
        (
            "bundle: launch → window mapped (the X server's view)",
            seconds(dig(b, "window_mapped")),
            "",
            "bundle_startup",
        ),
        (
            "bundle: cold `predict --json`",
            seconds(dig(b, "predict_json")),
            target("≤ 0.5 s (issue 4)", dig(b, "predict_json", "median_s"), "≤", 0.5),
            "bundle_startup",
        ),
    ]
    return table(rows, s)


def headline(s: Sources) -> str:
    """The README's few figures: how fast, how big; every one links to its full row in docs/figures.md."""
    lat, x = s.figures("latency"), s.figures("startup-xvfb")
    b, f = s.figures("bundle_startup"), dig(s.figures("frame_time-xvfb-draw"), "frame")
    size = dig(b, "bundle_bytes")
    rows = [
        (
            "reading one drawing (preprocess + predict)",
            ms(dig(lat, "one_digit", "preprocess_predict")).split(" (")[0],
            "p50 ≤ 1 ms",
        ),
        (
            "reading a 4-digit number (preprocess + predict)",
            ms(dig(lat, "number", "preprocess_predict")).split(" (")[0],
            "p50 ≤ 2 ms",
        ),
        (
            "one digit's model call without LiteRT (the numpy fallback)",
            ms(dig(s.figures("numpy_agreement"), "one_digit", "numpy")).split(" (")[0],
            "—",
        ),
        ("launch → first frame", seconds(dig(x, "first_frame")).split(" (")[0], "≤ 0.5 s"),
        ("frame time while drawing, live", "—" if f is None else f"p99 **{f['p99_ms']:.1f} ms**", "p99 ≤ 16.7 ms"),
        ("the standalone bundle on disk", "—" if size is None else f"**{size / 1e6:.1f} MB**", "≤ 100 MB"),
        ("the model file (`.tflite`)", f"**{s.card['tflite_bytes'] / 1e6:.2f} MB**", "≤ 2 MB"),
    ]
    out = ["| | measured | target |", "|---|---|---|"] + [f"| {a} | {b_} | {c} |" for a, b_, c in rows]
    dates = sorted(
        when(s.results[n])[:10]
        for n in ("latency", "numpy_agreement", "startup-xvfb", "bundle_startup", "frame_time-xvfb-draw")
        if n in s.results
    )
    span = "not measured yet" if not dates else dates[0] if dates[0] == dates[-1] else f"{dates[0]} to {dates[-1]}"
    return (
        "\n".join(out)
        + f"\n\nMedians of 3 rounds on this project's 2-core machine ({span}); commands, machine and load in [docs/figures.md](docs/figures.md)."
    )


SPEED_BLOCKS: dict[str, Callable[[Sources], str]] = {
    "speed": speed,
    "startup": startup,
    "bundle": bundle,
    "headline": headline,
}
