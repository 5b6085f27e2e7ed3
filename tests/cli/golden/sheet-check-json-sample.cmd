sheet check --format json samples/ep.toml
