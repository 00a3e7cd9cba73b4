"""Network and transport layers: IP decoding and defragmentation, flows, TCP reassembly."""
