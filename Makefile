# Shorthands for the two README commands.
.PHONY: run test samples
run:
	bash install.sh && .venv/bin/vanban run data/raw --out out/raw
test:
	bash install.sh --test && .venv/bin/python -m pytest
samples:
	.venv/bin/python -m pip install -q -e ".[samples]" && .venv/bin/python scripts/make_samples.py
