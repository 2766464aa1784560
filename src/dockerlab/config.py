"""The lab's config file (``dockerlab.toml``): finding, loading, validating, defaults.

Environment variables override the file so one lab can be pointed at a
different LLM server without editing a committed file:
``DOCKERLAB_LLM_BASE_URL``, ``DOCKERLAB_LLM_MODEL``, ``DOCKERLAB_LLM_API_KEY``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import DockerlabError
from .i18n import LANGUAGES

CONFIG_NAME = "dockerlab.toml"

DEFAULT_BASE_URL = "http://127.0.0.1:11434/v1"  # Ollama's OpenAI-compatible endpoint
DEFAULT_MODEL = "llama3.1"
DEFAULT_API_KEY_ENV = "OPENAI_API_KEY"
DEFAULT_TIMEOUT = 120.0
# Ollama's default context is 4096 tokens (older versions 2048) and it drops the
# start of a longer prompt silently; 3000 leaves room for the answer.
DEFAULT_MAX_INPUT_TOKENS = 3000
# The key in OPENAI_API_KEY is OpenAI's: it goes nowhere else unless api_key_host says so.
OPENAI_KEY_ENV = "OPENAI_API_KEY"
OPENAI_HOST = "api.openai.com"
DEFAULT_HEAD_LINES = 60
DEFAULT_TAIL_LINES = 60
DEFAULT_MAX_LINE_CHARS = 400
DEFAULT_GRACE_SECONDS = 10.0  # like `docker stop`: SIGTERM, 10 s, then SIGKILL


@dataclass(frozen=True)
class LLMSettings:
    """Where and how to reach the OpenAI-compatible chat completions API."""

    base_url: str
    model: str
    api_key: str | None
    timeout: float
    max_input_tokens: int = DEFAULT_MAX_INPUT_TOKENS
    api_key_host: str | None = None  # the only host the key is sent to


@dataclass(frozen=True)
class RunSettings:
    """How much command output ``dockerlab run`` keeps in notes-raw.md."""

    head_lines: int = DEFAULT_HEAD_LINES
    tail_lines: int = DEFAULT_TAIL_LINES
    max_line_chars: int = DEFAULT_MAX_LINE_CHARS
    grace_seconds: float = DEFAULT_GRACE_SECONDS


@dataclass(frozen=True)
class Config:
    """A loaded, validated lab configuration."""

    root: Path
    language: str
    llm: LLMSettings
    run: RunSettings

    @property
    def topics_dir(self) -> Path:
        """The folder holding one sub-folder per topic."""
        return self.root / "topics"

    @property
    def readme_path(self) -> Path:
        """The lab's README, whose topic table ``dockerlab index`` maintains."""
        return self.root / "README.md"


def default_language(env: Mapping[str, str] | None = None) -> str:
    """Pick ``ko`` when the user's locale is Korean, else ``en``."""
    env = os.environ if env is None else env
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"


def render_default_config(language: str) -> str:
    """The commented config file ``dockerlab init`` writes."""
    return f"""# dockerlab settings for this lab.

# Language of the generated notes, templates and explanations: "ko" or "en".
language = "{language}"

[llm]
# Any OpenAI-compatible chat completions API: a hosted one, or a local server
# such as Ollama or llama.cpp. Environment variables DOCKERLAB_LLM_BASE_URL,
# DOCKERLAB_LLM_MODEL and DOCKERLAB_LLM_API_KEY override these settings.
base_url = "{DEFAULT_BASE_URL}"
model = "{DEFAULT_MODEL}"
# Name of the environment variable that holds the API key. Keep the key itself
# out of this file (it is usually committed); local servers need no key.
api_key_env = "{DEFAULT_API_KEY_ENV}"
# The API key is sent only to this host. Default: api.openai.com for a key in
# OPENAI_API_KEY, otherwise the host of base_url above.
# api_key_host = "api.openai.com"
# Seconds for the whole answer (not per read); local models can be slow.
timeout = {DEFAULT_TIMEOUT:g}
# Size limit of the prompt, in tokens. Long command outputs are cut to their
# head, tail and error lines to fit (you are told what was cut). Raise it for
# models with a bigger context (and Ollama's num_ctx with it).
max_input_tokens = {DEFAULT_MAX_INPUT_TOKENS}

[run]
# `dockerlab run` keeps this many first and last lines of long output.
head_lines = {DEFAULT_HEAD_LINES}
tail_lines = {DEFAULT_TAIL_LINES}
# Longer lines (progress bars, minified JSON) are cut to this many characters.
max_line_chars = {DEFAULT_MAX_LINE_CHARS}
# After Ctrl-C (or SIGTERM) the command gets this many seconds to finish, while
# its output is still recorded; then its process group gets SIGKILL.
grace_seconds = {DEFAULT_GRACE_SECONDS:g}
"""


def find_lab_root(start: Path) -> Path | None:
    """Walk up from ``start`` to the first folder holding ``dockerlab.toml``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


def _bad(message: str, **params: Any) -> DockerlabError:
    return DockerlabError("bad config {config}: " + message, config=CONFIG_NAME, **params)


def _check_keys(table: Mapping[str, Any], allowed: set[str], where: str) -> None:
    # Unknown keys are almost always typos ("langauge"); silently ignoring them
    # would leave the user wondering why the setting has no effect.
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise _bad("unknown setting {where}{name!r}", where=where, name=unknown[0])


def _table(data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise _bad("[{name}] must be a table", name=name)
    return value


def _string(table: Mapping[str, Any], key: str, default: str | None, where: str) -> str | None:
    value = table.get(key, default)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise _bad("{where}{key} must be a non-empty string", where=where, key=key)
    return value


def _positive_int(table: Mapping[str, Any], key: str, default: int, minimum: int) -> int:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise _bad(
            "run.{key} must be an integer >= {minimum}, got {value!r}",
            key=key,
            minimum=minimum,
            value=value,
        )
    return value


def _check_url(url: str, origin: str) -> str:
    if not url.startswith(("http://", "https://")):
        raise DockerlabError(
            "{origin}: base_url must start with http:// or https://, got {url!r}",
            origin=origin,
            url=url,
        )
    return url.rstrip("/")


def load_config(root: Path, env: Mapping[str, str] | None = None) -> Config:
    """Read and validate ``root/dockerlab.toml``, applying environment overrides."""
    env = os.environ if env is None else env
    path = root / CONFIG_NAME
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DockerlabError(
            "no {config} in the lab folder; run 'dockerlab init'", config=CONFIG_NAME
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise _bad("invalid TOML: {reason}", reason=str(exc)) from None

    _check_keys(data, {"language", "llm", "run"}, "")
    language = data.get("language", "en")
    if language not in LANGUAGES:
        raise _bad(
            "language must be one of {choices}, got {value!r}",
            choices=", ".join(LANGUAGES),
            value=language,
        )

    llm = _table(data, "llm")
    _check_keys(
        llm,
        {
            "base_url",
            "model",
            "api_key",
            "api_key_env",
            "api_key_host",
            "timeout",
            "max_input_tokens",
        },
        "llm.",
    )
    base_url = _check_url(
        _string(llm, "base_url", DEFAULT_BASE_URL, "llm."), f"bad config {CONFIG_NAME}"
    )
    model = _string(llm, "model", DEFAULT_MODEL, "llm.")
    api_key = _string(llm, "api_key", None, "llm.")
    api_key_env = _string(llm, "api_key_env", DEFAULT_API_KEY_ENV, "llm.")
    timeout = llm.get("timeout", DEFAULT_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise _bad("llm.timeout must be a positive number of seconds, got {value!r}", value=timeout)
    max_input_tokens = llm.get("max_input_tokens", DEFAULT_MAX_INPUT_TOKENS)
    if (
        isinstance(max_input_tokens, bool)
        or not isinstance(max_input_tokens, int)
        or max_input_tokens < 500
    ):
        raise _bad(
            "llm.max_input_tokens must be an integer >= 500, got {value!r}", value=max_input_tokens
        )
    key_host = _string(llm, "api_key_host", None, "llm.")
    file_host = (urlsplit(base_url).hostname or "").lower()

    run = _table(data, "run")
    _check_keys(run, {"head_lines", "tail_lines", "max_line_chars", "grace_seconds"}, "run.")
    grace = run.get("grace_seconds", DEFAULT_GRACE_SECONDS)
    if isinstance(grace, bool) or not isinstance(grace, int | float) or grace < 0:
        raise _bad("run.grace_seconds must be a number of seconds >= 0, got {value!r}", value=grace)
    run_settings = RunSettings(
        head_lines=_positive_int(run, "head_lines", DEFAULT_HEAD_LINES, 1),
        tail_lines=_positive_int(run, "tail_lines", DEFAULT_TAIL_LINES, 1),
        max_line_chars=_positive_int(run, "max_line_chars", DEFAULT_MAX_LINE_CHARS, 40),
        grace_seconds=float(grace),
    )

    # Environment first, so a hosted key or a different server never has to be
    # written into the (committed) config file.
    if env.get("DOCKERLAB_LLM_BASE_URL"):
        base_url = _check_url(env["DOCKERLAB_LLM_BASE_URL"], "DOCKERLAB_LLM_BASE_URL")
    model = env.get("DOCKERLAB_LLM_MODEL") or model
    from_env_name = None
    if env.get("DOCKERLAB_LLM_API_KEY"):
        api_key = env["DOCKERLAB_LLM_API_KEY"]
    elif not api_key and env.get(api_key_env):
        api_key, from_env_name = env[api_key_env], api_key_env
    if key_host is None and api_key:
        # The key belongs to the host the committed config names, not to whatever
        # DOCKERLAB_LLM_BASE_URL points at today; OpenAI's variable, to OpenAI.
        key_host = OPENAI_HOST if from_env_name == OPENAI_KEY_ENV else file_host

    return Config(
        root=root,
        language=language,
        llm=LLMSettings(
            base_url=base_url,
            model=model,
            api_key=api_key or None,
            timeout=float(timeout),
            max_input_tokens=max_input_tokens,
            api_key_host=key_host.lower() if key_host else None,
        ),
        run=run_settings,
    )
