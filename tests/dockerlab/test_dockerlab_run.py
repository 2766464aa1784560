"""`dockerlab run` and `dockerlab note`: streaming, recording, trimming, errors."""

from __future__ import annotations

import sys

from dockerlab_helpers import invoke, make_lab, snapshot, write_config

from dockerlab.rawnotes import parse_raw
from dockerlab.runlog import OutputCapture, clean_line

PY = sys.executable


def _lab_with_topic(tmp_path, lang="en"):
    root = make_lab(tmp_path, lang)
    invoke(root, "new", "container basics")
    return root, root / "topics" / "001-container-basics"


def test_run_streams_and_records(tmp_path):
    root, topic = _lab_with_topic(tmp_path)
    result = invoke(
        root, "run", "--topic", "001", "--", PY, "-c", "print('hello from the container')"
    )
    assert result.exit_code == 0, result.output
    assert "hello from the container" in result.stdout  # streamed as usual
    assert "recorded in topics/001-container-basics/notes-raw.md (exit 0" in result.stderr
    raw = (topic / "notes-raw.md").read_text()
    assert "\n### " in raw and " · run\n" in raw
    assert "- exit code: **0** · duration: " in raw
    assert f"$ {PY} -c 'print('\"'\"'hello from the container'\"'\"')'" in raw
    [entry] = parse_raw(raw).runs
    assert entry.exit_code == 0 and entry.output == "hello from the container"
    assert entry.duration >= 0


def test_run_failing_command_records_and_returns_its_exit_code(tmp_path):
    root, topic = _lab_with_topic(tmp_path)
    script = (
        "import sys; print('step 1'); print('Error: no such image', file=sys.stderr); sys.exit(3)"
    )
    result = invoke(root, "run", "-t", "001", "--", PY, "-c", script)
    assert result.exit_code == 3
    assert "Error: no such image" in result.stdout  # stderr is streamed too, merged in order
    raw = (topic / "notes-raw.md").read_text()
    assert "- exit code: **3**" in raw
    [entry] = parse_raw(raw).runs
    assert entry.exit_code == 3
    assert entry.output.splitlines() == ["step 1", "Error: no such image"]


def test_run_very_long_output_keeps_head_and_tail(tmp_path):
    root, topic = _lab_with_topic(tmp_path)
    write_config(root, 'language = "en"\n[run]\nhead_lines = 5\ntail_lines = 4\n')
    result = invoke(
        root, "run", "-t", "001", "--", PY, "-c", "for i in range(100000): print('line', i)"
    )
    assert result.exit_code == 0
    assert result.stdout.count("\n") >= 100000  # the terminal still gets everything
    [entry] = parse_raw((topic / "notes-raw.md").read_text()).runs
    lines = entry.output.splitlines()
    assert lines[:5] == [f"line {i}" for i in range(5)]
    assert lines[-4:] == [f"line {i}" for i in range(99996, 100000)]
    assert lines[5] == "[... 99991 lines omitted by dockerlab: kept the first 5 and the last 4 ...]"
    assert len(lines) == 10
    assert (topic / "notes-raw.md").stat().st_size < 5000


def test_run_strips_ansi_and_collapses_progress_redraws(tmp_path):
    root, topic = _lab_with_topic(tmp_path)
    script = (
        "import sys; sys.stdout.write('\\x1b[31mred\\x1b[0m plain\\n');"
        "sys.stdout.write('\\x1b]0;title\\x07pull 10%\\rpull 50%\\rpull 100%\\n');"
        "sys.stdout.write('windows line\\r\\n')"
    )
    result = invoke(root, "run", "-t", "001", "--", PY, "-c", script)
    assert "\x1b[31m" in result.stdout  # the terminal gets the colours
    raw = (topic / "notes-raw.md").read_text()
    assert "\x1b" not in raw and "\r" not in raw
    [entry] = parse_raw(raw).runs
    assert entry.output.splitlines() == ["red plain", "pull 100%", "windows line"]


def test_run_output_with_markdown_fences_stays_inside_its_block(tmp_path):
    root, topic = _lab_with_topic(tmp_path)
    script = "print('```'); print('# not a heading'); print('````text'); print('-->')"
    invoke(root, "run", "-t", "001", "--", PY, "-c", script)
    invoke(root, "run", "-t", "001", "--", PY, "-c", "print('second')")
    runs = parse_raw((topic / "notes-raw.md").read_text()).runs
    assert [r.output for r in runs] == ["```\n# not a heading\n````text\n-->", "second"]


def test_run_command_not_found(tmp_path):
    root, topic = _lab_with_topic(tmp_path)
    result = invoke(root, "run", "-t", "001", "--", "no-such-command-dockerlab-test", "--flag")
    assert result.exit_code == 127
    [entry] = parse_raw((topic / "notes-raw.md").read_text()).runs
    assert entry.exit_code == 127
    assert entry.command == "no-such-command-dockerlab-test --flag"
    assert "command not found: no-such-command-dockerlab-test" in entry.output


def test_run_without_output_and_in_the_topic_folder(tmp_path):
    root, topic = _lab_with_topic(tmp_path)
    (topic / "sub").mkdir()
    # No --topic: taken from the current folder; the command runs where the user is.
    result = invoke(
        None, "run", "--", PY, "-c", "import os; open('here', 'w').close()", cwd=topic / "sub"
    )
    assert result.exit_code == 0
    assert (topic / "sub" / "here").exists()
    raw = (topic / "notes-raw.md").read_text()
    assert "```text\n(no output)\n```" in raw


def test_run_from_outside_runs_in_the_topic_folder(tmp_path):
    root, topic = _lab_with_topic(tmp_path)
    result = invoke(
        root, "run", "-t", "container-basics", "--", PY, "-c", "import os; print(os.getcwd())"
    )
    assert result.stdout.strip().endswith("001-container-basics")


def test_run_missing_topic_changes_nothing_and_runs_nothing(tmp_path):
    root, _ = _lab_with_topic(tmp_path)
    before = snapshot(root)
    marker = tmp_path / "ran"
    result = invoke(root, "run", "-t", "040", "--", "touch", str(marker))
    assert result.exit_code == 2
    assert (
        result.stderr
        == "dockerlab: error: no topic '040' in this lab (topics: 001-container-basics)\n"
    )
    assert not marker.exists()
    assert snapshot(root) == before
    outside = invoke(root, "run", "--", "touch", str(marker))
    assert outside.exit_code == 2 and "not inside one" in outside.stderr
    assert not marker.exists()


def test_run_recreates_a_deleted_raw_file(tmp_path):
    root, topic = _lab_with_topic(tmp_path, "ko")
    (topic / "notes-raw.md").unlink()
    invoke(root, "run", "-t", "001", "--", PY, "-c", "print('again')")
    raw = (topic / "notes-raw.md").read_text()
    assert raw.startswith("# 001 · container basics\n")
    assert " · 실행\n" in raw and "- 종료 코드: **0**" in raw


def test_note_appends_timestamped_lines(tmp_path):
    root, topic = _lab_with_topic(tmp_path)
    invoke(root, "run", "-t", "001", "--", PY, "-c", "print(1)")
    assert invoke(root, "note", "-t", "001", "layers", "are", "cached").exit_code == 0
    assert invoke(None, "note", "second thought\nwith two lines", cwd=topic).exit_code == 0
    raw = (topic / "notes-raw.md").read_text()
    assert "```\n\n- [" in raw  # separated from the code block before it
    notes = parse_raw(raw).notes
    assert notes == ["layers are cached", "second thought with two lines"]
    import re

    assert re.search(r"\n- \[\d{4}-\d\d-\d\d \d\d:\d\d\] layers are cached\n- \[", raw)


def test_note_errors(tmp_path):
    root, _ = _lab_with_topic(tmp_path)
    before = snapshot(root)
    assert invoke(root, "note", "-t", "999", "x").exit_code == 2
    assert invoke(root, "note", "-t", "001", "   ").exit_code == 2
    assert snapshot(root) == before


def test_capture_handles_split_utf8_and_long_lines():
    capture = OutputCapture(head=10, tail=10, max_line_chars=40, line_cut_marker=" [cut]")
    data = "한글 출력\n".encode() + b"x" * 100 + b"\nlast"
    for i in range(len(data)):  # one byte at a time splits every multibyte character
        capture.feed(data[i : i + 1])
    capture.close()
    assert capture.text("{count}") == "한글 출력\n" + "x" * 40 + " [cut]\nlast"


def test_capture_bounds_an_endless_progress_line():
    capture = OutputCapture(head=3, tail=3, max_line_chars=50, line_cut_marker="")
    for i in range(20000):
        capture.feed(f"\rprogress {i:05d}".encode())
        assert len(capture._partial) < 70000
    capture.feed(b"\n")
    assert capture.text("{count}") == "progress 19999"


def test_clean_line():
    assert clean_line("\x1b[1;32mok\x1b[0m") == "ok"
    assert clean_line("a\rb\rc\r") == "c"
    assert clean_line("bell\x07 tab\tkept") == "bell tab\tkept"
