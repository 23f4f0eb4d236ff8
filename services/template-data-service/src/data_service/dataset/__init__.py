"""The example dataset: an online shop. A team copying the template replaces this package
(its models, and the fake-data functions that seed and refresh it) and its contract.yaml."""
