"""The one error type the CLI turns into a one-line message and exit code 2."""


class DockerlabError(Exception):
    """A user-facing problem (bad config, missing topic, unreachable LLM, ...).

    The message must fit on one line: the CLI prints it as is and exits with 2.
    """
