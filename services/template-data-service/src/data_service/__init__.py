"""DataPact reference data service: a dataset published under contract"""
