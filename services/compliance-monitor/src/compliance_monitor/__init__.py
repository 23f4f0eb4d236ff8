"""DataPact compliance monitor: checks live data services against their contracts"""
