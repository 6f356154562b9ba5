"""The public event contract: CloudEvents envelope, one pydantic model per event type, the registry."""
