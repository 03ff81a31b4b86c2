"""Child for the crash test: adds codings forever, printing each id once add() has returned."""

import sys

from qualcode.store.project import Project

project = Project.open(sys.argv[1], search=False)
session = project.session("crasher")
text = project.transcript("int-1").text
n = len(session.codings)
while True:
    start = n % (len(text) - 10)
    end = start + 1 + (n // (len(text) - 10)) % 9
    n += 1
    if any((c.start, c.end) == (start, end) for c in session.codings.for_transcript("int-1")):
        continue  # an exact duplicate would be refused: take the next span
    c = session.add("int-1", start, end, "theme")
    sys.stdout.write(c.id + "\n")
    sys.stdout.flush()
