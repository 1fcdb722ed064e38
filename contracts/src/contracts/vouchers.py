"""Messages owned by the vouchers service.

None cross a service boundary yet: the vouchers service only consumes (see its handlers).
"""

__all__: list[str] = []
