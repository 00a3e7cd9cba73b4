"""The asset inventory: what is on the plant network, what exactly it is, who talks to whom.

Built passively from the engine's transactions and flows (never a probe of our own):

    transactions, flows -> observations (one run, aggregated) -> merge into the inventory
                        -> roles, Purdue levels, changes

Pure domain code: it never imports the store or a database driver; interlock.store
loads and saves an ``Inventory``.
"""
