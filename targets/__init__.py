"""Targets and assessment (目标考核): yearly targets, their progress against the time of year, rankings."""
