sheet export samples/ep.toml --to csv
