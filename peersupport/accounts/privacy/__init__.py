"""Privacy and data rights: the notice, consent, data export (and later deletion).

One module per noun: `notice` (the versioned privacy notice), `consent` (consent to processing
health-related content), `export` (the member's copy of their data) and `registry` (how the
apps above accounts contribute their part of an export without accounts importing them).
"""
