"""The Word report of a project whose disagreements were settled (codings/consensus.jsonl) and which
names no default coder: agreement is `qualcode agree`'s (the coders qualcode.toml names, never the
consensus), the counts never pool the consensus with the coders' own codings, `--resamples 0` is
given as the reason for no interval, and one coding reads "1 coding"."""

from __future__ import annotations

from datetime import date

import docx


def _span(project, quote):
    text = project.transcript("int-1").text
    i = text.index(quote)
    return i, i + len(quote)


def test_report_after_settling_compares_and_counts_the_coders(project):
    from qualcode.export.docx_report import write_report
    from qualcode.reliability.disagreements import adopt_agreements
    from qualcode.reliability.units import collect

    project.config.coders = ["ann", "ben"]
    project.config.default_coder = ""
    ann, ben = project.session("ann"), project.session("ben")
    ann.add("int-1", *_span(project, "We monitor ethnicity on the board"), "theme")
    ben.add("int-1", *_span(project, "We monitor ethnicity on the board"), "theme")
    ben.add("int-1", *_span(project, "It took us two years to get there"), "theme")
    ann.add("int-1", *_span(project, "I chair the community empowerment network."), "theme.sub")
    ann.close()
    ben.close()
    assert int(adopt_agreements(project, collect(project, ["ann", "ben"]))) == 1  # the consensus journal

    path = write_report(project, project.root / "exports" / "report.docx", today=date(2024, 5, 1), resamples=0,
                        command="qualcode export docx --resamples 0")
    doc = docx.Document(str(path))
    paras = "\n".join(p.text for p in doc.paragraphs)
    assert "Coders: ann, ben\n" in paras + "\n"
    start = paras.index("Agreement between ann and ben on")
    agreement = paras[start:paras.index("\nResults", start)]
    assert "consensus" not in agreement and "Fleiss" not in agreement
    assert "made with `--resamples 0`" in agreement.replace("\u201c", "`").replace("\u201d", "`")
    assert "transcripts compared are long" not in agreement
    assert "pooled (ann, ben, consensus)" not in paras and "consensus: 1" not in paras
    assert "do not count the consensus journal" in paras
    assert "1 coding by 2 coders" in paras  # theme.sub: one coding, ann's
    assert "1 codings" not in paras
