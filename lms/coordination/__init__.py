"""Coordination: organisations (MSO), their people, cohorts and events, attendance, reports."""
