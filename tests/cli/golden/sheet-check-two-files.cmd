sheet check -q samples/ep.toml tests/validators/fixtures/invalid-unknown-key.toml
