"""The mock's core: configuration, errors, replies as data, the store, the state and the update."""
