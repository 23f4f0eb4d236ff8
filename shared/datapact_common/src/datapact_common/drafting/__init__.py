"""Contract drafts from a schema that already exists (``datapact init``).

Every source is read into the engine-neutral catalogue of :mod:`datapact_common.engines`
(a live database through its engine), then :mod:`.generate` turns tables into contract
documents, :mod:`.render` writes them with a header comment, and :mod:`.review` lists what a
person must still confirm.
"""
