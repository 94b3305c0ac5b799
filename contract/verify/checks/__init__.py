"""What the verifier checks: the registry, the scenario and response checks, the Hypothesis and Schemathesis suites."""
