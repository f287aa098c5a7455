"""Quizzes: question-type registry, pure grading, attempts."""
