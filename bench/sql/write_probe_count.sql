SELECT writes FROM bench_write_probe
