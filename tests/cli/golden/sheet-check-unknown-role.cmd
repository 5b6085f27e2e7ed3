sheet check tests/validators/fixtures/invalid-unknown-role.toml
