"""Hidden checks of the course, one package per assignment (see docs/architecture.md). Never part of the release."""
