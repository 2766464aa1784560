"""The command line: every command, and the run that reads, compares and reports."""
