"""Secrets out of the record: passwords, tokens and keys are masked before anything is
written to notes-raw.md or sent to an LLM.

Learners type secrets into experiments all the time (``-e POSTGRES_PASSWORD=...``,
``docker login -p ...``, a token in a registry URL); notes are committed and
summaries go to a server. Each pattern keeps the name and masks the value, so
the record still shows *that* a secret was passed, and how.
"""

from __future__ import annotations

import re

MASK = "***"

# Names that hold secrets: POSTGRES_PASSWORD, GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY, API_KEY...
_SECRET_NAME = (
    r"[A-Za-z0-9_]*(?:PASSWORD|PASSWD|PASSPHRASE|_PASS|_PWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY"
    r"|PRIVATE_?KEY|CREDENTIALS?|AUTH_?KEY)[A-Za-z0-9_]*"
)
# A value: quoted, or up to whitespace; "$VAR" / "${VAR}" references are not secrets.
_VALUE = r"""(?!\$|\*\*\*)(?:"[^"\n]*"|'[^'\n]*'|[^\s"']+)"""

PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # scheme://user:password@host
    (re.compile(r"(\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]+:)(?!\*\*\*@)([^@\s/]+)(@)"), r"\1***\3"),
    # ?token=...&api_key=... in URLs
    (
        re.compile(
            r"([?&](?:access_token|token|api_key|apikey|key|password|passwd|secret|sig|signature"
            r"|auth|X-Amz-Signature|X-Amz-Credential)=)(?!\*\*\*)([^&\s#\"']+)",
            re.IGNORECASE,
        ),
        r"\1***",
    ),
    # NAME=value, NAME: value (env, --build-arg, compose files, `env` output)
    (re.compile(rf"(\b{_SECRET_NAME}\s*(?:=|:\s+))({_VALUE})", re.IGNORECASE), r"\1***"),
    # Dockerfile `ENV DB_PASSWORD secret` (the old form without "=")
    (re.compile(rf"^(\s*(?:ENV|ARG)\s+{_SECRET_NAME}\s+)({_VALUE})", re.I | re.M), r"\1***"),
    # --password X, --password=X, --token X, --client-secret=X ...
    (
        re.compile(
            r"(--(?:password|passwd|token|api-key|secret|client-secret|auth-token)(?:=|\s+))"
            rf"({_VALUE})",
            re.IGNORECASE,
        ),
        r"\1***",
    ),
    # docker login -u me -p secret / mysql -psecret
    (
        re.compile(rf"(\b(?:docker|podman|nerdctl)\s+login\b[^\n]*?\s-p(?:=|\s+))({_VALUE})"),
        r"\1***",
    ),
    (re.compile(r"(\bmysql(?:dump|admin)?\b[^\n]*?\s-p)(?!\*\*\*)([^\s\"']+)"), r"\1***"),
    # HTTP authorization headers
    (
        re.compile(r"(\bAuthorization:\s*(?:Bearer|Basic|Token)\s+)(?!\*\*\*)([^\s\"']+)", re.I),
        r"\1***",
    ),
    (re.compile(r"(\bBearer\s+)(?!\*\*\*)([A-Za-z0-9._~+/=-]{8,})"), r"\1***"),
    # Well-known token shapes, wherever they appear
    (
        re.compile(
            r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,}|glpat-[\w-]{20,}"
            r"|sk-(?:proj-)?[A-Za-z0-9_-]{16,}|AKIA[0-9A-Z]{16}|xox[abprs]-[\w-]{10,}"
            r"|eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,})"
        ),
        MASK,
    ),
]


def redact(text: str) -> tuple[str, int]:
    """``text`` with secrets masked as ``***``, and how many were masked."""
    total = 0
    for pattern, replacement in PATTERNS:
        text, count = pattern.subn(replacement, text)
        total += count
    return text, total
