sheet check tests/validators/fixtures/invalid-master-sum.toml
