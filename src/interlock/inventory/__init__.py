"""The asset inventory: what is on the plant network, what exactly it is, who talks to whom.

Built passively from the engine's transactions and flows (never a probe of our own):

    transactions, flows -> observations (one run, aggregated) -> merge into the inventory
                        -> roles, Purdue levels, changes

A long run is merged in slices (``slices.py``), each against the part of the inventory it
touches, so that memory stays bounded. Pure domain code: it never imports the store or a
database driver; interlock.store loads and saves an ``Inventory`` and provides the
``slices.Workspace`` a sliced merge works against.
"""
