"""Enrolments, module progress and the learner dashboard."""
