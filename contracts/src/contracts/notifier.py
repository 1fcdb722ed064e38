"""Messages owned by the notifier service.

None cross a service boundary yet: the notifier service only consumes (see its handlers).
"""

__all__: list[str] = []
