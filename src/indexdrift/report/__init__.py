"""Reports: the team matrix, lint advisories and one renderer per output format."""
