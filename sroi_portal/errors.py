"""Domain exceptions shared by services, pages and the API."""


class StateConflict(Exception):
    """An action that the object's current state does not allow (e.g. deciding a concept).

    The message is Dutch and meant for the user; the API answers 409 Conflict with it.
    """

    def __init__(self, message):
        super().__init__(message)
        self.message = message
