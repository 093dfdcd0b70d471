"""Load benchmark of the assistant: scripted French conversations against a running stack.

`python -m bench --profiles default --out reports/bench` (or `make bench`) starts each
profile with its own database of bench customers, plays the load levels and writes the
JSON reports, a latency chart and the per-turn cost breakdown.
"""
