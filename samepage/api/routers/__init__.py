"""One router per domain; each stays thin: parse, call a selector or permission, return."""
