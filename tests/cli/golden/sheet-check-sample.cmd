sheet check samples/ep.toml
