"""`qualcode stats`: what is in the project."""

from __future__ import annotations

from collections import Counter

from qualcode.store.project import Project


def project_stats(project: Project) -> dict:
    book = project.codebook
    index = project.index
    coders = {}
    per_code: Counter = Counter()
    for coder in project.coders():
        cs = project.codings(coder)
        coders[coder] = {"codings": len(cs), "transcripts": len(cs.transcripts())}
        per_code.update(c.code for c in cs)
    depth = max((book.depth(c.id) for c in book.codes), default=-1) + 1
    return {
        "project": project.config.name,
        "root": str(project.root),
        "transcripts": len(index),
        "words": sum(e.words for e in index),
        "turns": sum(e.turns for e in index),
        "codes": len(book),
        "code_levels": depth,
        "coders": len(coders),
        "codings": sum(c["codings"] for c in coders.values()),
        "by_coder": coders,
        "by_transcript": [
            {"id": e.id, "title": e.title, "format": e.format, "words": e.words, "turns": e.turns,
             "speakers": e.speakers, "roles": e.roles, "path": e.path}
            for e in index
        ],
        "by_code": {c.id: per_code.get(c.id, 0) for c in book.walk()},
    }
