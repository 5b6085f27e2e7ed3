sheet check --format xml samples/ep.toml
