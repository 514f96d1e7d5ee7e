"""Peers for the benchmarks only: models of the same shape as runschema's Run, RunList and
RunStep (pydantic, msgspec), and what the openai package itself does (``openai_client``)."""
