"""thigh-triage: is this posterior-thigh pain really the hamstring, and if not, what is it?"""

__version__ = "1.2.0"
