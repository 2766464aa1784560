"""Config loading, environment overrides and the errors for a bad config."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dockerlab_helpers import invoke, make_lab, snapshot, write_config

from dockerlab.config import DEFAULT_BASE_URL, default_language, load_config, render_default_config
from dockerlab.errors import DockerlabError
from dockerlab.i18n import LANGUAGES, catalog


def test_default_config_loads(tmp_path):
    root = make_lab(tmp_path, "ko")
    cfg = load_config(root, env={})
    assert cfg.language == "ko"
    assert cfg.llm.base_url == DEFAULT_BASE_URL
    assert cfg.llm.api_key is None
    assert cfg.run.head_lines > 0 and cfg.run.tail_lines > 0


def test_environment_overrides_the_file(tmp_path):
    root = make_lab(tmp_path)
    env = {
        "DOCKERLAB_LLM_BASE_URL": "http://127.0.0.1:9/v1/",
        "DOCKERLAB_LLM_MODEL": "tiny",
        "OPENAI_API_KEY": "from-named-variable",
    }
    cfg = load_config(root, env=env)
    assert cfg.llm.base_url == "http://127.0.0.1:9/v1"  # trailing slash dropped
    assert cfg.llm.model == "tiny"
    assert cfg.llm.api_key == "from-named-variable"
    assert load_config(root, env={**env, "DOCKERLAB_LLM_API_KEY": "direct"}).llm.api_key == "direct"


def test_api_key_env_names_the_variable(tmp_path):
    root = make_lab(tmp_path)
    write_config(root, '[llm]\napi_key_env = "MY_LLM_KEY"\n')
    assert (
        load_config(root, env={"MY_LLM_KEY": "k1", "OPENAI_API_KEY": "other"}).llm.api_key == "k1"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('language = "ko"\n[llm\n', "invalid TOML"),
        ('language = "fr"\n', "language must be one of ko, en"),
        ('langauge = "ko"\n', "unknown setting 'langauge'"),
        ('[llm]\nbase_url = "localhost:8080"\n', "base_url must start with http"),
        ("[llm]\ntimeout = -1\n", "llm.timeout must be a positive number"),
        ('[llm]\nmodel = ""\n', "llm.model must be a non-empty string"),
        ("[run]\nhead_lines = 0\n", "run.head_lines must be an integer >= 1"),
        ('llm = "x"\n', "[llm] must be a table"),
    ],
)
def test_bad_config_is_one_clear_line_and_exit_2(tmp_path, text, message):
    root = make_lab(tmp_path)
    invoke(root, "new", "network basics")
    write_config(root, text)
    before = snapshot(root)
    for args in (
        ["new", "volumes"],
        ["note", "-t", "001", "hello"],
        ["index"],
        ["summarize", "001", "--offline"],
    ):
        result = invoke(root, *args)
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr.count("\n") == 1
        assert result.stderr.startswith("dockerlab: error: bad config dockerlab.toml: ")
        assert message in result.stderr
    assert snapshot(root) == before


def test_bad_config_does_not_run_the_command(tmp_path):
    root = make_lab(tmp_path)
    invoke(root, "new", "network basics")
    write_config(root, 'language = "xx"\n')
    marker = tmp_path / "ran"
    result = invoke(root, "run", "-t", "001", "--", "touch", str(marker))
    assert result.exit_code == 2
    assert not marker.exists()


def test_not_inside_a_lab(tmp_path):
    result = invoke(None, "index", cwd=tmp_path)
    assert result.exit_code == 2
    assert "not inside a dockerlab lab" in result.stderr


def test_lab_is_found_from_a_sub_folder(tmp_path):
    root = make_lab(tmp_path)
    invoke(root, "new", "network basics")
    result = invoke(None, "note", "found it", cwd=root / "topics" / "001-network-basics")
    assert result.exit_code == 0, result.output
    assert "found it" in (root / "topics/001-network-basics/notes-raw.md").read_text()


def test_default_language_follows_the_locale():
    assert default_language({"LANG": "ko_KR.UTF-8"}) == "ko"
    assert default_language({"LANG": "en_US.UTF-8"}) == "en"
    assert default_language({"LC_ALL": "ko_KR.UTF-8", "LANG": "C"}) == "ko"
    assert default_language({}) == "en"


def test_rendered_default_config_is_valid_for_both_languages(tmp_path):
    for lang in LANGUAGES:
        (tmp_path / "dockerlab.toml").write_text(render_default_config(lang))
        assert load_config(tmp_path, env={}).language == lang


def _keys(node, prefix=""):
    if isinstance(node, dict):
        return {k for key, value in node.items() for k in _keys(value, f"{prefix}{key}.")}
    return {prefix.rstrip(".")}


def test_catalogs_have_the_same_keys_and_placeholders():
    import string

    # "errors" is keyed by whole English templates (with dots in them): checked below.
    en = {k: v for k, v in catalog("en").items() if k != "errors"}
    ko = {k: v for k, v in catalog("ko").items() if k != "errors"}
    assert _keys(en) == _keys(ko)

    def fields(lang, key):
        node = catalog(lang)
        for part in key.split("."):
            node = node[part]
        return {f for _, f, _, _ in string.Formatter().parse(node) if f}

    for key in _keys(en):
        assert fields("en", key) == fields("ko", key), key
    json.dumps(en)  # both are plain JSON data


def test_missing_config_file_in_explicit_lab(tmp_path):
    (tmp_path / "topics").mkdir()
    with pytest.raises(DockerlabError, match="no dockerlab.toml"):
        load_config(tmp_path, env={})


def _error_templates() -> set[str]:
    """Every English message template raised as a DockerlabError in the source."""
    import ast

    import dockerlab

    found = set()
    for path in Path(dockerlab.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = getattr(node.func, "id", None)
            if name not in ("DockerlabError", "_bad"):
                continue
            try:
                value = ast.literal_eval(node.args[0])
            except ValueError:
                continue  # already a translated t(...) message
            if name == "_bad":
                value = "bad config {config}: " + value
            found.add(value)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            # README marker errors: one template per case, built by _marker_error.
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "_marker_error"
                and len(node.args) >= 2
            ):
                what = ast.literal_eval(node.args[1])
                found.add(
                    "README.md:{line}: "
                    + what
                    + "; fix the markers by hand (README.md was not changed)"
                )
    return found


def test_every_error_has_a_korean_translation_with_the_same_placeholders():
    import string

    templates = _error_templates()
    assert len(templates) > 40
    ko = catalog("ko")["errors"]
    assert set(ko) == templates == set(catalog("en")["errors"])
    for template, translated in ko.items():

        def fields(text):
            return {f for _, f, _, _ in string.Formatter().parse(text) if f}

        assert fields(template) == fields(translated), template
        assert translated != template


def test_korean_labs_get_korean_errors(tmp_path):
    root = make_lab(tmp_path, "ko")
    result = invoke(root, "new", "x", "--number", "abc")
    assert result.exit_code == 2
    assert result.stderr == (
        "dockerlab: 오류: 주제 번호는 1..999이어야 합니다(예: 020). 받은 값: 'abc'\n"
    )
    missing = invoke(root, "summarize", "040", "--offline")
    assert missing.stderr == "dockerlab: 오류: 이 실습에 '040' 주제가 없습니다(아직 주제가 없음)\n"
    (root / "README.md").write_text("# 실습\n<!-- dockerlab:index:start -->\n")
    markers = invoke(root, "index")
    assert markers.stderr == (
        "dockerlab: 오류: README.md:2: <!-- dockerlab:index:start -->에 짝이 되는 "
        "<!-- dockerlab:index:end -->이(가) 없습니다. 표시(marker)를 직접 고쳐 주세요"
        "(README.md는 바꾸지 않았습니다)\n"
    )
    # Even a config broken elsewhere is reported in the lab's language.
    (root / "dockerlab.toml").write_text('language = "ko"\n[run]\nhead_lines = 0\n')
    broken = invoke(root, "index")
    assert broken.stderr.startswith("dockerlab: 오류: 잘못된 설정 dockerlab.toml: run.head_lines")
    # English labs keep the English text.
    (tmp_path / "en").mkdir()
    en = make_lab(tmp_path / "en", "en")
    assert invoke(en, "new", "x", "--number", "abc").stderr == (
        "dockerlab: error: topic number must be 1..999 (e.g. 020), got 'abc'\n"
    )
