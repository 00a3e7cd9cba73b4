"""Detection: rules as data over the engine's transactions, a learned baseline, alerts."""
