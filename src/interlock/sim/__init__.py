"""The plant simulator: real protocol stacks talking on loopback, recorded as captures."""
