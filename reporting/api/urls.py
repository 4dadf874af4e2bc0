def register(router):
    """Register this app's API v1 resources on the shared router."""
