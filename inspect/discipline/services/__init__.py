"""Discipline services (private to the domain): opening a case, its procedure, the
timeline and its deadlines, appeals, and the standings other domains read."""
