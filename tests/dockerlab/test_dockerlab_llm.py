"""The LLM step is checked, bounded and private: a real HTTP server on 127.0.0.1 that
cuts its answer off, answers without sections, drips slowly, redirects; secrets are
masked before anything is written or sent; the key goes only to its host."""

from __future__ import annotations

import json
import time

import pytest
from dockerlab_helpers import invoke, make_lab, snapshot, write_config
from test_dockerlab_summarize import (
    FIXED_ANSWER,
    FIXED_ANSWER_KO,
    FakeLLM,
    _lab_with_golden_topic,
    _point_at,
)

from dockerlab.budget import estimate_tokens
from dockerlab.config import load_config
from dockerlab.llm import privacy_warnings
from dockerlab.rawnotes import parse_raw


def _summarize_refused(root, llm_kwargs, lang="en", env=None):
    with FakeLLM(**llm_kwargs) as llm:
        _point_at(root, llm.base_url, lang=lang)
        before = snapshot(root)
        result = invoke(root, "summarize", "020", env=env)
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1
    assert snapshot(root) == before  # notes.md and the state are as they were
    return result.stderr


# 9. The answer is checked ------------------------------------------------------


def test_an_answer_cut_off_by_the_length_limit_is_refused(tmp_path):
    root, _ = _lab_with_golden_topic(tmp_path)
    cut = FIXED_ANSWER + "\n```console\n$ docker network create --dri"
    message = _summarize_refused(root, {"answer": cut, "finish_reason": "length"})
    assert "cut off (finish_reason: length)" in message and "notes.md was kept" in message
    assert invoke(root, "index").exit_code == 0
    assert "| 020 | network basics | raw |" in (root / "README.md").read_text()


def test_an_unfinished_answer_for_another_reason_is_refused(tmp_path):
    root, _ = _lab_with_golden_topic(tmp_path)
    message = _summarize_refused(root, {"finish_reason": "content_filter"})
    assert "did not finish it (finish_reason: content_filter)" in message


def test_chatter_without_sections_is_refused(tmp_path):
    root, _ = _lab_with_golden_topic(tmp_path)
    message = _summarize_refused(root, {"answer": "Sure! Here is your summary of the notes."})
    assert 'text that is not part of the note: "Sure! Here is your summary' in message


def test_chatter_around_good_sections_is_refused(tmp_path):
    root, _ = _lab_with_golden_topic(tmp_path)
    before = "Sure! Here is the note you asked for.\n\n" + FIXED_ANSWER
    assert "not part of the note" in _summarize_refused(root, {"answer": before})
    after = FIXED_ANSWER + "\nLet me know if you want more detail!\n"
    assert "Let me know" in _summarize_refused(root, {"answer": after})


def test_english_headings_in_a_korean_lab_are_refused_in_korean(tmp_path):
    root, _ = _lab_with_golden_topic(tmp_path, "ko")
    message = _summarize_refused(root, {"answer": FIXED_ANSWER}, lang="ko")
    assert "LLM의 답을 쓰지 않고 notes.md를 그대로 두었습니다" in message
    assert "목표, 실험 과정, 관찰, 개념 정리, 실무 의미" in message
    assert "찾은 섹션: Goal, What was done" in message


def test_sections_out_of_order_or_foreign_are_refused(tmp_path):
    root, _ = _lab_with_golden_topic(tmp_path)
    swapped = FIXED_ANSWER.replace("## Goal", "## TMP").replace("## Concepts", "## Goal")
    swapped = swapped.replace("## TMP", "## Concepts")
    assert "not in the order" in _summarize_refused(root, {"answer": swapped})
    extra = FIXED_ANSWER + "\n## Summary\n\nMore.\n"
    assert 'not one of the lab\'s: "Summary"' in _summarize_refused(root, {"answer": extra})


def test_korean_answer_with_numbered_headings_is_accepted(tmp_path):
    root, topic = _lab_with_golden_topic(tmp_path, "ko")
    numbered = FIXED_ANSWER_KO.replace("## 목표", "## 1. 목표").replace("## 관찰", "## 관찰:")
    with FakeLLM(answer=numbered) as llm:
        _point_at(root, llm.base_url, lang="ko")
        assert invoke(root, "summarize", "020").exit_code == 0
    assert (topic / "notes.md").read_text() == numbered


# 10. The prompt is budgeted ----------------------------------------------------


def _big_topic(root, topic, runs=12, lines=300):
    for r in range(runs):
        script = (
            f"for i in range({lines}):\n"
            f"    print(f'#{r} step {{i}}/{lines} : RUN pip install -r requirements.txt')\n"
            f"    if i == 150: print('ERROR: failed to solve: exit code 1 in run {r}')\n"
        )
        result = invoke(root, "run", "-t", "020", "--no-tty", "--", "python3", "-c", script)
        assert result.exit_code == 0


def test_long_logs_are_cut_to_the_budget_and_the_user_is_told(tmp_path):
    root, topic = _lab_with_golden_topic(tmp_path)
    write_config(root, "[run]\nhead_lines = 200\ntail_lines = 200\n")
    _big_topic(root, topic)
    raw = (topic / "notes-raw.md").read_text()
    assert len(raw) > 150_000
    with FakeLLM() as llm:
        _point_at(root, llm.base_url)
        result = invoke(root, "summarize", "020")
    assert result.exit_code == 0, result.output
    [request] = llm.requests
    sent = request["json"]["messages"]
    assert sum(estimate_tokens(m["content"]) for m in sent) <= 3000  # the default budget
    user = sent[1]["content"]
    for r in range(12):
        assert f"ERROR: failed to solve: exit code 1 in run {r}" in user  # errors kept
    assert "lines of this output left out by dockerlab to fit the prompt budget" in user
    assert "exceeds llm.max_input_tokens = 3000" in result.stderr
    assert "the output of 14 command(s) was cut" in result.stderr  # 12 + 2 golden
    assert (topic / "notes-raw.md").read_text() == raw  # the record itself is untouched


def test_notes_too_long_even_when_cut_are_an_error(tmp_path):
    root, topic = _lab_with_golden_topic(tmp_path)
    with (topic / "notes-raw.md").open("a") as handle:
        for i in range(800):
            handle.write(f"- [2026-01-01 10:00] a long hand-written observation number {i}\n")
    with FakeLLM() as llm:
        _point_at(root, llm.base_url)
        before = snapshot(root)
        result = invoke(root, "summarize", "020")
    assert result.exit_code == 2 and "more than llm.max_input_tokens = 3000" in result.stderr
    assert llm.requests == [] and snapshot(root) == before


def test_max_input_tokens_is_configurable_and_validated(tmp_path):
    root = make_lab(tmp_path)
    write_config(root, "[llm]\nmax_input_tokens = 100\n")
    assert "llm.max_input_tokens must be an integer >= 500" in invoke(root, "index").stderr
    write_config(root, "[llm]\nmax_input_tokens = 32000\n")
    assert load_config(root, env={}).llm.max_input_tokens == 32000


# 11. The timeout is total ------------------------------------------------------


def test_timeout_is_the_total_time_of_a_dripping_answer(tmp_path):
    root, topic = _lab_with_golden_topic(tmp_path)
    with FakeLLM(drip=(20, 0.4)) as llm:  # 8 s in all, each piece well within the timeout
        write_config(root, f'language = "en"\n[llm]\nbase_url = "{llm.base_url}"\ntimeout = 1.5\n')
        before = snapshot(root)
        started = time.monotonic()
        result = invoke(root, "summarize", "020")
        elapsed = time.monotonic() - started
    assert result.exit_code == 2
    assert "did not finish its answer within 1.5 s (llm.timeout is the total time)" in (
        result.stderr
    )
    assert elapsed < 4
    assert snapshot(root) == before


def test_a_slow_but_timely_answer_is_used(tmp_path):
    root, topic = _lab_with_golden_topic(tmp_path)
    with FakeLLM(drip=(4, 0.1)) as llm:
        write_config(root, f'language = "en"\n[llm]\nbase_url = "{llm.base_url}"\ntimeout = 5\n')
        assert invoke(root, "summarize", "020").exit_code == 0
    assert (topic / "notes.md").read_text() == FIXED_ANSWER


# 12. Secrets -------------------------------------------------------------------

SECRETS = ["hunter2", "s3cr3t-pw", "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "tok-998877"]


def test_secrets_are_masked_in_the_record(tmp_path):
    root, topic = _lab_with_golden_topic(tmp_path)
    commands = [
        ["docker", "run", "-e", "POSTGRES_PASSWORD=hunter2", "postgres:16"],
        ["docker", "login", "-u", "me", "-p", "s3cr3t-pw", "registry.example"],
        ["git", "clone", f"https://me:{SECRETS[2]}@github.com/me/lab"],
        ["curl", "https://registry.example/v2/?token=tok-998877"],
    ]
    for argv in commands:
        # echo the command: the secret is in the command and in its output
        result = invoke(root, "run", "-t", "020", "--no-tty", "--", "echo", *argv)
        assert result.exit_code == 0
    note = invoke(root, "note", "-t", "020", "the db password is POSTGRES_PASSWORD=hunter2")
    assert "masked as ***" in note.stderr
    raw = (topic / "notes-raw.md").read_text()
    for secret in SECRETS:
        assert secret not in raw
    runs = parse_raw(raw).runs[-4:]
    assert runs[0].command.endswith("POSTGRES_PASSWORD=*** postgres:16")
    assert "docker login -u me -p *** registry.example" in runs[1].output
    assert all("secret value(s) masked as *** in this record" in r.output for r in runs)


def test_secrets_typed_by_hand_are_masked_before_sending(tmp_path):
    root, topic = _lab_with_golden_topic(tmp_path)
    with (topic / "notes-raw.md").open("a") as handle:
        handle.write("\n- [2026-01-01 10:00] used docker login -p s3cr3t-pw and hunter2 nowhere\n")
        handle.write("export DB_PASSWORD=hunter2\n")
    (topic / "Dockerfile").write_text(
        "FROM postgres:16\nENV POSTGRES_PASSWORD=hunter2\nUSER postgres\n"
    )
    with FakeLLM() as llm:
        _point_at(root, llm.base_url)
        result = invoke(root, "summarize", "020")
    assert result.exit_code == 0, result.output
    body = json.dumps(llm.requests[0]["json"])
    assert "s3cr3t-pw" not in body and "DB_PASSWORD=hunter2" not in body
    assert "POSTGRES_PASSWORD=***" in body
    assert "masked as *** before sending to the LLM" in result.stderr


def test_the_openai_key_is_not_sent_to_another_host(tmp_path):
    root, _ = _lab_with_golden_topic(tmp_path)
    with FakeLLM() as llm:
        write_config(root, f'language = "en"\n[llm]\nbase_url = "{llm.base_url}"\n')
        result = invoke(root, "summarize", "020", env={"OPENAI_API_KEY": "sk-openai-secret"})
    assert result.exit_code == 0, result.output
    assert llm.requests[0]["auth"] is None
    assert "the API key is for api.openai.com, not 127.0.0.1: sent without it" in result.stderr


def test_a_key_follows_the_committed_host_not_an_environment_override(tmp_path):
    root, _ = _lab_with_golden_topic(tmp_path)
    with FakeLLM() as llm:
        _point_at(root, llm.base_url)  # the file says 127.0.0.1; the key is for it
        moved = llm.base_url.replace("127.0.0.1", "localhost")
        env = {"DOCKERLAB_TEST_KEY": "sk-lab", "DOCKERLAB_LLM_BASE_URL": moved}
        result = invoke(root, "summarize", "020", env=env)
        assert result.exit_code == 0, result.output
        assert llm.requests[-1]["auth"] is None
        # Naming the host sends it there.
        write_config(
            root,
            f'language = "en"\n[llm]\nbase_url = "{llm.base_url}"\napi_key_host = "127.0.0.1"\n',
        )
        result = invoke(root, "summarize", "020", env={"OPENAI_API_KEY": "sk-openai"})
        assert llm.requests[-1]["auth"] == "Bearer sk-openai"


def test_the_key_is_not_sent_along_a_redirect(tmp_path):
    root, _ = _lab_with_golden_topic(tmp_path)
    with FakeLLM() as elsewhere:
        target = elsewhere.base_url.replace("127.0.0.1", "localhost") + "/chat/completions"
        with FakeLLM(status=307, body=b"", headers={"Location": target}) as llm:
            _point_at(root, llm.base_url)
            result = invoke(root, "summarize", "020", env={"DOCKERLAB_TEST_KEY": "sk-lab"})
    assert result.exit_code == 2
    assert llm.requests[0]["auth"] == "Bearer sk-lab" and elsewhere.requests == []


@pytest.mark.parametrize(
    ("base_url", "warned"),
    [
        ("http://192.0.2.10:11434/v1", True),
        ("http://llm.example.org/v1", True),
        ("https://llm.example.org/v1", False),
        ("http://127.0.0.1:11434/v1", False),
        ("http://localhost:8080/v1", False),
        ("http://[::1]:8080/v1", False),
    ],
)
def test_plain_http_to_a_non_loopback_host_is_warned_about(tmp_path, base_url, warned):
    root = make_lab(tmp_path)
    write_config(root, f'[llm]\nbase_url = "{base_url}"\n')
    warnings = privacy_warnings(load_config(root, env={}).llm)
    assert bool(warnings) == warned
    if warned:
        assert "neither https nor loopback" in warnings[0]


# 13. The Dockerfile goes along; learner-edited sections stay ----------------------


def test_the_dockerfile_is_sent(tmp_path):
    root, topic = _lab_with_golden_topic(tmp_path)
    with FakeLLM() as llm:
        _point_at(root, llm.base_url)
        assert invoke(root, "summarize", "020").exit_code == 0
    user = llm.requests[0]["json"]["messages"][1]["content"]
    assert "The topic's Dockerfile:" in user
    assert (topic / "Dockerfile").read_text().rstrip("\n") in user


def test_a_hand_written_concepts_section_survives_resummarizing(tmp_path):
    root, topic = _lab_with_golden_topic(tmp_path)
    # The learner fills Concepts in the skeleton before the first summary.
    skeleton = (topic / "notes.md").read_text()
    mine = "Bridge networks get an embedded DNS server at 127.0.0.11; I checked with dig."
    hinted = skeleton.split("## Concepts\n\n", 1)[1].split("\n", 1)[0]
    (topic / "notes.md").write_text(skeleton.replace(hinted, mine))
    with FakeLLM() as llm:
        _point_at(root, llm.base_url)
        result = invoke(root, "summarize", "020", "--force")
        assert result.exit_code == 0, result.output
        notes = (topic / "notes.md").read_text()
        assert mine in notes and "Bridges." not in notes
        assert "Fixed answer from the test server." in notes  # the rest is the new summary
        assert "kept your edited sections as they were: Concepts" in result.stderr
        # The next summary (no --force needed: notes.md is as dockerlab left it) keeps
        # the learner's section again: it is still theirs, not the model's.
        again = invoke(root, "summarize", "020")
        assert again.exit_code == 0, again.output
        assert (topic / "notes.md").read_text() == notes
        assert "kept your edited sections as they were: Concepts" in again.stderr
        assert not list(topic.glob("notes.bak-*.md"))[1:]  # one backup, from the --force
