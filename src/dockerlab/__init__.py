"""dockerlab: a companion CLI for a hands-on Docker learning repository.

It scaffolds topics, records experiments into ``notes-raw.md``, turns raw notes
into clean ``notes.md`` (through an OpenAI-compatible LLM or offline), keeps the
README's topic table and reviews Dockerfiles for the lessons such a lab teaches.
"""

__version__ = "0.1.0"
