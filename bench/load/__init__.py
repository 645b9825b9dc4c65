"""The simulated clinic of bench_load: its setup script, locustfile and form reader."""
