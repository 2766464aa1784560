"""A minimal client for OpenAI-compatible chat completions APIs (hosted, Ollama, llama.cpp)."""

from __future__ import annotations

from typing import Any

from .config import LLMSettings
from .errors import DockerlabError


def _one_line(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def chat_completion(settings: LLMSettings, messages: list[dict[str, str]]) -> str:
    """Send ``messages`` to ``{base_url}/chat/completions`` and return the answer text.

    Every failure (unreachable server, HTTP error, unexpected JSON, empty
    answer) becomes a one-line ``DockerlabError``.
    """
    import httpx  # imported here: it costs ~0.1 s, which every `run` and `note` would pay

    url = f"{settings.base_url}/chat/completions"
    headers = {"Content-Type": "application/json"}
    if settings.api_key:
        headers["Authorization"] = f"Bearer {settings.api_key}"
    payload: dict[str, Any] = {
        "model": settings.model,
        "messages": messages,
        # Low temperature: a faithful summary of a log, not creative writing.
        "temperature": 0.2,
        "stream": False,
    }
    try:
        response = httpx.post(url, json=payload, headers=headers, timeout=settings.timeout)
    except httpx.TimeoutException:
        raise DockerlabError(
            f"the LLM endpoint {settings.base_url} did not answer within {settings.timeout:g} s"
        ) from None
    except httpx.HTTPError as exc:
        raise DockerlabError(
            f"cannot reach the LLM endpoint {settings.base_url}: "
            f"{_one_line(str(exc)) or type(exc).__name__}"
        ) from None
    if response.status_code >= 400:
        raise DockerlabError(
            f"the LLM endpoint answered HTTP {response.status_code}: "
            f"{_one_line(response.text) or '(empty body)'}"
        )
    try:
        content = response.json()["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise DockerlabError(
            f"the LLM endpoint gave no choices[0].message.content: {_one_line(response.text)}"
        ) from None
    if not isinstance(content, str) or not content.strip():
        raise DockerlabError("the LLM endpoint returned an empty answer")
    return content
