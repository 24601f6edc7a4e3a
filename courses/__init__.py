"""Training: Wagtail course pages, quizzes, assignments, completions, certificates."""
