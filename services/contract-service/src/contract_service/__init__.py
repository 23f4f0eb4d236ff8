"""DataPact contract registry: contracts, versions, compliance results, GitHub PR checks"""
