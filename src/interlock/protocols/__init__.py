"""Sans-IO protocol parsers: bytes in, typed messages out. No sockets, files or clock."""
