sheet import samples/ep.csv -o -
