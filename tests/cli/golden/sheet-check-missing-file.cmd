sheet check no/such/sheet.toml
