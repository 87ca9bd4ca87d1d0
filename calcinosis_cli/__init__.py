"""calcinosis: tabulates published evidence on treatments for calcinosis cutis.

It tabulates literature and gives no medical advice.
"""

__version__ = "0.3.0"
