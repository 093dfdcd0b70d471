"""Allyzure's order backend: shop data, after-sale policies and the use cases the bot calls.

A pure domain package: it never imports rasa or rasa_sdk, and does nothing at import
time (no engine, no environment read). See docs/design.md §1 for the layout:
`services` (use cases) → `policies` (pure rules) → `domain` (facts), with `models`,
`db`, `repository` and `migrate` for storage, `fixtures` for data files, `formatting`
for French rendering, and `python -m backend --help` for the command line.
"""
