"""The disclosure auditor: pages run on pairs of databases that differ only inside a hidden cell."""
