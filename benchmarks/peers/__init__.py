"""Peer models of the same shape as runschema.Run, for the benchmarks only."""
