sheet fmt --check samples/ep.toml
