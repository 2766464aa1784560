"""`dockerlab summarize`: offline golden drafts, a real local OpenAI-compatible server,
hand-edit protection and the errors that must leave every file as it was."""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from dockerlab_helpers import invoke, make_lab, snapshot, write_config

from dockerlab.offline import offline_draft
from dockerlab.summarize import build_messages, clean_answer

GOLDEN = Path(__file__).parent / "golden"
# Set DOCKERLAB_UPDATE_GOLDEN=1 to rewrite the expected files after a deliberate change.
UPDATE = os.environ.get("DOCKERLAB_UPDATE_GOLDEN") == "1"

FIXED_ANSWER = (
    "# 020 · network basics\n\n## Goal\n\nFixed answer from the test server.\n\n"
    "## What was done\n\nRan it.\n\n## Observations\n\nIt worked.\n\n"
    "## Concepts\n\nBridges.\n\n## What it means in practice\n\nUse user networks.\n"
)
FIXED_ANSWER_KO = (
    "# 020 · 네트워크 기초\n\n## 목표\n\n테스트 서버의 답.\n\n## 실험 과정\n\n실행함.\n\n"
    "## 관찰\n\n잘 됨.\n\n## 개념 정리\n\n브리지.\n\n## 실무 의미\n\n사용자 네트워크를 쓴다.\n"
)


@pytest.mark.parametrize(("lang", "title"), [("en", "network basics"), ("ko", "네트워크 기초")])
def test_offline_draft_matches_golden(lang, title):
    raw = (GOLDEN / f"notes-raw.{lang}.md").read_text(encoding="utf-8")
    draft = offline_draft(lang, "020", title, raw)
    expected = GOLDEN / f"offline.{lang}.md"
    if UPDATE:
        expected.write_text(draft, encoding="utf-8")
    assert draft == expected.read_text(encoding="utf-8")
    assert offline_draft(lang, "020", title, raw) == draft  # deterministic


def _lab_with_golden_topic(tmp_path, lang="en"):
    root = make_lab(tmp_path, lang)
    title = "network basics" if lang == "en" else "네트워크 기초"
    assert invoke(root, "new", title, "--number", "020").exit_code == 0
    topic = next((root / "topics").iterdir())
    shutil.copy(GOLDEN / f"notes-raw.{lang}.md", topic / "notes-raw.md")
    return root, topic


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_summarize_offline_cli_writes_the_golden_draft(tmp_path, lang):
    root, topic = _lab_with_golden_topic(tmp_path, lang)
    result = invoke(root, "summarize", "020", "--offline")
    assert result.exit_code == 0, result.output
    assert ("(offline draft)" if lang == "en" else "(오프라인 초안)") in result.output
    expected = (GOLDEN / f"offline.{lang}.md").read_text(encoding="utf-8")
    assert (topic / "notes.md").read_text(encoding="utf-8") == expected
    state = json.loads((topic / ".dockerlab.json").read_text())
    assert state["notes_source"] == "offline" and "model" not in state
    # Summarizing again replaces its own output without asking: it was not edited.
    assert invoke(root, "summarize", "020", "--offline").exit_code == 0


class FakeLLM:
    """A real HTTP server on 127.0.0.1 speaking the chat completions protocol."""

    def __init__(
        self,
        answer: str = FIXED_ANSWER,
        status: int = 200,
        body: bytes | None = None,
        finish_reason: str | None = "stop",
        drip: tuple[int, float] | None = None,  # (pieces, seconds between pieces)
        headers: dict[str, str] | None = None,
    ):
        self.requests: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server API
                length = int(self.headers.get("Content-Length", 0))
                outer.requests.append(
                    {
                        "path": self.path,
                        "auth": self.headers.get("Authorization"),
                        "json": json.loads(self.rfile.read(length)),
                    }
                )
                payload = body
                if payload is None:
                    payload = json.dumps(
                        {
                            "id": "cmpl-test",
                            "object": "chat.completion",
                            "choices": [
                                {
                                    "index": 0,
                                    "message": {"role": "assistant", "content": answer},
                                    "finish_reason": finish_reason,
                                }
                            ],
                        }
                    ).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                if drip is None:
                    self.wfile.write(payload)
                    return
                pieces, delay = drip
                size = len(payload) // pieces + 1
                try:
                    for start in range(0, len(payload), size):
                        self.wfile.write(payload[start : start + size])
                        self.wfile.flush()
                        time.sleep(delay)
                except OSError:
                    pass  # the client gave up: that is what the drip test wants

            def log_message(self, *args):  # keep test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _point_at(root: Path, base_url: str, lang: str = "en", model: str = "lab-model") -> None:
    write_config(
        root,
        f'language = "{lang}"\n[llm]\nbase_url = "{base_url}"\nmodel = "{model}"\n'
        'api_key_env = "DOCKERLAB_TEST_KEY"\ntimeout = 10\n',
    )


def test_summarize_through_a_local_openai_compatible_server(tmp_path):
    root, topic = _lab_with_golden_topic(tmp_path, "ko")
    raw = (topic / "notes-raw.md").read_text(encoding="utf-8")
    with FakeLLM(answer=FIXED_ANSWER_KO) as llm:
        _point_at(root, llm.base_url, lang="ko")
        result = invoke(root, "summarize", "020", env={"DOCKERLAB_TEST_KEY": "sk-test"})
    assert result.exit_code == 0, result.output
    assert "topics/020-네트워크-기초/notes.md을(를) 씀 (모델 lab-model)" in result.output

    [request] = llm.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["auth"] == "Bearer sk-test"
    body = request["json"]
    assert body["model"] == "lab-model"
    system, user = body["messages"]
    assert system["role"] == "system" and user["role"] == "user"
    assert raw in user["content"]  # the raw notes, whole and unchanged
    assert "Language: ko" in user["content"]
    assert "한국어" in system["content"]
    for section in ("목표", "실험 과정", "관찰", "개념 정리", "실무 의미"):
        assert f"## {section}" in system["content"]
    assert "그대로" in system["content"]  # keep commands and errors verbatim

    assert (topic / "notes.md").read_text(encoding="utf-8") == FIXED_ANSWER_KO
    state = json.loads((topic / ".dockerlab.json").read_text())
    assert state["notes_source"] == "llm" and state["model"] == "lab-model"


def test_english_prompt_and_no_key_means_no_auth_header(tmp_path):
    root, topic = _lab_with_golden_topic(tmp_path, "en")
    wrapped = FIXED_ANSWER.split("\n\n", 1)[1].rstrip("\n")
    with FakeLLM(answer=f"```markdown\n{wrapped}\n```") as llm:
        _point_at(root, llm.base_url)
        assert invoke(root, "summarize", "020").exit_code == 0
    [request] = llm.requests
    assert request["auth"] is None
    system = request["json"]["messages"][0]["content"]
    assert "in English" in system and "verbatim" in system
    assert "Language: en" in request["json"]["messages"][1]["content"]
    # The whole-document fence is removed and the title heading added.
    assert (topic / "notes.md").read_text() == FIXED_ANSWER


def test_environment_selects_the_server(tmp_path):
    root, topic = _lab_with_golden_topic(tmp_path, "en")
    with FakeLLM() as llm:
        _point_at(root, "http://127.0.0.1:9/v1")  # nothing listens there
        env = {"DOCKERLAB_LLM_BASE_URL": llm.base_url, "DOCKERLAB_LLM_MODEL": "env-model"}
        assert invoke(root, "summarize", "020", env=env).exit_code == 0
    assert llm.requests[0]["json"]["model"] == "env-model"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_endpoint_is_one_line_exit_2_and_changes_nothing(tmp_path):
    root, _ = _lab_with_golden_topic(tmp_path, "en")
    _point_at(root, f"http://127.0.0.1:{_closed_port()}/v1")
    before = snapshot(root)
    result = invoke(root, "summarize", "020")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "dockerlab: error: cannot reach the LLM endpoint http://127.0.0.1:"
    )
    assert result.stderr.count("\n") == 1
    assert snapshot(root) == before


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (500, b'{"error": {"message": "model crashed"}}', "answered HTTP 500"),
        (401, b"", "answered HTTP 401: (empty body)"),
        (200, b"not json", "gave no choices[0].message.content"),
        (200, b'{"choices": []}', "gave no choices[0].message.content"),
        (200, b'{"choices": [{"message": {"content": "  "}}]}', "returned an empty answer"),
    ],
)
def test_bad_answers_change_nothing(tmp_path, status, body, message):
    root, _ = _lab_with_golden_topic(tmp_path, "en")
    with FakeLLM(status=status, body=body) as llm:
        _point_at(root, llm.base_url)
        before = snapshot(root)
        result = invoke(root, "summarize", "020")
    assert result.exit_code == 2
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert snapshot(root) == before


def test_hand_edited_notes_are_protected(tmp_path):
    root, topic = _lab_with_golden_topic(tmp_path, "en")
    with FakeLLM() as llm:
        _point_at(root, llm.base_url)
        assert invoke(root, "summarize", "020").exit_code == 0
        edited = FIXED_ANSWER.replace("Bridges.", "Bridges, in my own words.")
        (topic / "notes.md").write_text(edited)
        before = snapshot(root)

        refused = invoke(root, "summarize", "020")
        assert refused.exit_code == 2
        assert "edited by hand since the last summary; use --force" in refused.stderr
        assert snapshot(root) == before
        assert len(llm.requests) == 1  # refused before asking the LLM

        offline_refused = invoke(root, "summarize", "020", "--offline")
        assert offline_refused.exit_code == 2
        assert snapshot(root) == before

        forced = invoke(root, "summarize", "020", "--force")
        assert forced.exit_code == 0, forced.output
    [backup] = topic.glob("notes.bak-*.md")
    assert backup.read_text() == edited
    assert f"backed up the edited notes to topics/020-network-basics/{backup.name}" in forced.output
    # The learner's Concepts section is carried over; the rest is the new summary.
    assert (topic / "notes.md").read_text() == edited
    assert "kept your edited sections as they were: Concepts" in forced.stderr
    # After the forced summary notes.md is dockerlab's again: no --force needed.
    assert invoke(root, "summarize", "020", "--offline").exit_code == 0
    assert len(list(topic.glob("notes.bak-*.md"))) == 1


def test_untouched_skeleton_and_missing_state(tmp_path):
    root, topic = _lab_with_golden_topic(tmp_path, "en")
    # The skeleton from `new` is dockerlab's own: replaced without --force.
    assert invoke(root, "summarize", "020", "--offline").exit_code == 0
    # Without the state file, notes with content count as hand-written.
    (topic / ".dockerlab.json").unlink()
    result = invoke(root, "summarize", "020", "--offline")
    assert result.exit_code == 2 and "--force" in result.stderr
    # ...but notes that are only headings and comments have nothing to lose.
    (topic / "notes.md").write_text("# 020\n\n## Goal\n\n<!-- hint -->\n")
    assert invoke(root, "summarize", "020", "--offline").exit_code == 0


def test_summarize_missing_topic_or_raw_notes(tmp_path):
    root, topic = _lab_with_golden_topic(tmp_path, "en")
    before = snapshot(root)
    missing = invoke(root, "summarize", "099", "--offline")
    assert missing.exit_code == 2 and "no topic '099'" in missing.stderr
    (topic / "notes-raw.md").write_text("  \n")
    empty = invoke(root, "summarize", "020", "--offline")
    assert empty.exit_code == 2 and "is empty; nothing to summarize" in empty.stderr
    (topic / "notes-raw.md").unlink()
    gone = invoke(root, "summarize", "020", "--offline")
    assert gone.exit_code == 2 and "has no notes-raw.md" in gone.stderr
    del before["topics/020-network-basics/notes-raw.md"]
    assert snapshot(root) == before


def test_summarize_uses_the_current_topic_folder(tmp_path):
    root, topic = _lab_with_golden_topic(tmp_path, "en")
    result = invoke(None, "summarize", "--offline", cwd=topic)
    assert result.exit_code == 0, result.output


def test_build_messages_and_clean_answer():
    messages = build_messages("en", "t", "RAW TEXT")
    assert "\n\nRAW TEXT\n\n" in messages[1]["content"]
    assert clean_answer("# Title\nbody", "# other") == "# Title\nbody\n"
    assert clean_answer("body only", "# 001 · t") == "# 001 · t\n\nbody only\n"
    assert clean_answer("```md\n# T\n```", "# x") == "# T\n"
    assert clean_answer("<think>\nhmm\n</think>\n\n# T\nbody", "# x") == "# T\nbody\n"
