"""The privacy domain's services (private to it; other parts use ``api``)."""
