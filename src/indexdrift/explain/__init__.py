"""Plain-language explanations of DDL statements, built on the sqlglot parser.

``explain_text(text)`` splits a script into statements, parses each one, and describes
every clause with its online-DDL effect. Statements the parser does not fully understand
are reported as not parsed, never guessed at.
"""

from indexdrift.explain.describe import explain_statement, explain_text
from indexdrift.explain.model import Clause, Explanation

__all__ = ["Clause", "Explanation", "explain_statement", "explain_text"]
