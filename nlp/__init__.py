"""NLP: a parsed `Document` in, entities with evidence out (spaCy rules on a blank pipeline)."""
