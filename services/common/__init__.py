"""The shared kernel: event contracts, database, outbox/inbox, messaging, HTTP, auth, metrics."""
