"""Static analysis of a pull request: schema changes read from source, contract changes diffed.

Nothing here touches a database or the network; every function takes file texts and returns
plain data with exact file/line locations, so it is unit-testable and fast.
"""
