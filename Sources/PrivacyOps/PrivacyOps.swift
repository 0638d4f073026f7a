import FlatStore
