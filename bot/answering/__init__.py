"""From a question to an answer: bridges -> retrieval -> decision -> composer, behind QAService."""
