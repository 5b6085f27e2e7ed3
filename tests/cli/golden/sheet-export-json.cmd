sheet export samples/ep.toml --to json
