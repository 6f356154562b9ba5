"""Operations over the whole platform. They know every service (through `services.catalog`),
so they sit above the shared kernel, which knows none."""
