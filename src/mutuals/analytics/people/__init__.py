"""People: one person across networks, and the relationship with them (see docs/people.md).

Modules: ``resolution`` (merge suggestions), ``merge`` (merge / split / undo), ``score`` (relationship
score), ``stages`` (funnel stages), ``reciprocity`` (ledger, engage-back queue), ``keep_in_touch``
(cadences, due list), ``quality`` (per-account quality metrics), ``profile`` (profile, list, tags,
notes, logged contact), ``common`` (person lookup).
"""
