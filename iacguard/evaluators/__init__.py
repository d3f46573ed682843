"""Evaluators resolve what a file's own variables make knowable and mark the rest Unknown."""
