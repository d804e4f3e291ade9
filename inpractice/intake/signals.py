"""Signals other parts of the product listen to, so intake needs to know none of them.

`submissions_arrived(call)` is sent once new submissions of a call are stored (a response sent,
an import committed); the analysis layer queues them for analysis into the current run.
"""

from django.dispatch import Signal

submissions_arrived = Signal()
