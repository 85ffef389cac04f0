"""Every write to plans. Split by sub-domain: lifecycle (create, share, questions,
meeting, finalize, sign, amend, next year), editing (sections and items of a draft),
acknowledgements."""
