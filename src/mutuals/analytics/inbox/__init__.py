"""The inbox: conversations, their state and priority, response metrics, and the reply coach.

Modules: ``threads`` (grouping messages into conversations), ``conversations`` (reading them: state,
priority), ``actions`` (assign, done, snooze, notes, replies; each logged), ``team`` (members),
``metrics`` (response times), ``hours`` (the SLA clock), ``coach`` and ``text`` (the reply coach),
``acknowledge`` (responders nobody thanked). See docs/inbox.md.
"""
