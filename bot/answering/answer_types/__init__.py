"""Expected answer type: a quantity needs a number, a name a proper name, a
time a time expression.

Lexical scores cannot tell "How many employees does Bitwise have?" from a
question the articles answer: the best sentence names Bitwise's employees.
What it lacks is what the question asks for, a number.  This package answers
two questions with fixed, language-general word lists (interrogatives and
number words, not words of any question or article): does a question ask
"how many / how much", and does a passage hold a number (digits in any
script, or a number word).  For a quantity question the composer puts the
passages holding a number first, and declines when none of them does.

The same two questions, does a question ask for it and does a passage hold
it, are asked of each kind of answer, one module each
(`answer_type_rules.judge_answer_type` reads them all):

- `numbers`: "how many / how much" and a number; the number words, digits
  and Swahili numbers the other modules share;
- `counts`: a count of things or people, the thing counted, Thai classifiers;
- `measures`: a measure in a unit ("how many litres") or by a dimension;
- `money`: a price, a fee, a share, a wage; an amount, a percentage, "free";
- `times`: when, how long, how often; a time word, a duration, a frequency;
- `dates`: which day or date; a date, a weekday, a month;
- `hours`: opening hours and clock times, and the place whose hours are asked;
- `years`: which year, the founding year, an age; the years a question is about;
- `names`: a name asked ("comment s'appelle", "which company"), a proper name;
- `roles`: who holds a role, who made a thing, who won;
- `contact`: an e-mail address, a phone number, a website;
- `reasons`: "why", and a quote giving a reason ("because", "car", "kwa kuwa");
- `things`: the thing a question names (counted, priced, called, open) and
  whether a passage names it;
- `sentences`: where a sentence begins, whether it asks or ends, a list's item;
- `patterns`: which key of a table of patterns (per language, per measure) a question matches.

Each name is imported from the module that defines it: this package
re-exports nothing.
"""
