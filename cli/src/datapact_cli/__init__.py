"""DataPact command line: validate, diff, push, pull, export, import, token"""
