"""Answers: coercion, the evaluated answer set and validation (pure core)."""

from forms_service.answers.evaluate import Evaluation, evaluate
from forms_service.answers.validate import Problem, ValidationResult, validate, validate_answers

__all__ = ["Evaluation", "Problem", "ValidationResult", "evaluate", "validate", "validate_answers"]
