sheet fmt --stdout tests/validators/fixtures/valid-minimal.toml
