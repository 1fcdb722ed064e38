"""Messages owned by the billing service.

None cross a service boundary yet: the billing service only consumes (see its handlers).
"""

__all__: list[str] = []
