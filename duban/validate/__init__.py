"""Validating: the JSON Schemas, the checks against the plan, and the validate() runner."""
