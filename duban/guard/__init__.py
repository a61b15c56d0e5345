"""Write rights on the shared repository: the access file (access.py) and the receive hook's checks (hook.py)."""
