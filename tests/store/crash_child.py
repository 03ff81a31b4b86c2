"""Child for the crash test: adds codings forever, printing each id once add() has returned."""

import sys

from qualcode.store.project import Project

project = Project.open(sys.argv[1], search=False)
session = project.session("crasher")
text = project.transcript("int-1").text
n = 0
while True:
    start = n % (len(text) - 10)
    c = session.add("int-1", start, start + 7, "theme")
    sys.stdout.write(c.id + "\n")
    sys.stdout.flush()
    n += 1
