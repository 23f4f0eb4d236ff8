"""DataPact data dictionary: search read model and ERD over every contract"""
