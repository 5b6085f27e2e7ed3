sheet check --strict tests/validators/fixtures/invalid-same-person.toml
