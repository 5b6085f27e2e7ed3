sheet check --format json tests/validators/fixtures/invalid-isni-check.toml
