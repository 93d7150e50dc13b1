"""The quality loop of the training body (issue 15): accommodations, complaints register,
satisfaction surveys, public results and the per-session evidence pack for the Qualiopi audit.

Its own Django app (label "quality") inside `assessments`, the top layer: it reads every app to
its left (ARCHITECTURE.md, "Where the next capabilities live").
"""
