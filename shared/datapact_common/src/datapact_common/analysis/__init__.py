"""Static analysis of a change set: schema changes read from source, contract changes diffed,
and the verdict. Shared by the contract-service's GitHub check and ``datapact check``.

Nothing here touches a database, the network or a web framework; every function takes file
texts and returns plain data with exact file/line locations, so it is unit-testable and fast.
"""
