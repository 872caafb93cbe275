"""Search across the site (issue 20): one query, results grouped by type, each saying why it matched."""
