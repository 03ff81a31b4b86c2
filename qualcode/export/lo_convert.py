"""Convert a .docx to PDF with LibreOffice, updating its fields and indexes first.

Run as a script by a Python that has LibreOffice's ``uno`` module (``/usr/bin/python3`` with
python3-uno on Debian and Ubuntu, or the ``python`` LibreOffice bundles)::

    python3 lo_convert.py IN.docx OUT.pdf PROFILE_DIR SOFFICE

It starts a private, headless soffice (its own profile, so a LibreOffice the user has open is not
disturbed), loads the document hidden, refreshes the fields, updates every index (the contents and
the lists of tables and figures get their page numbers) twice, so numbers that moved pages settle,
exports the PDF and shuts soffice down. This file imports nothing from qualcode.
"""

import os
import subprocess
import sys
import time


def main(argv):
    import uno
    from com.sun.star.beans import PropertyValue
    from com.sun.star.connection import NoConnectException

    src, dst, profile, office = argv[1:5]

    def prop(name, value):
        p = PropertyValue()
        p.Name, p.Value = name, value
        return p

    pipe = "qualcode-%d" % os.getpid()
    proc = subprocess.Popen(
        [office, "-env:UserInstallation=" + uno.systemPathToFileUrl(os.path.abspath(profile)), "--headless",
         "--invisible", "--norestore", "--nologo", "--nodefault",
         "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        deadline = time.time() + 120
        while ctx is None:
            try:
                ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            except NoConnectException:
                if proc.poll() is not None or time.time() > deadline:
                    sys.stderr.write("LibreOffice did not start (exit code %s)\n" % proc.poll())
                    return 3
                time.sleep(0.2)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(src)), "_blank", 0,
                                           (prop("Hidden", True),))
        if doc is None:
            sys.stderr.write("LibreOffice could not open the document\n")
            return 4
        try:
            doc.getTextFields().refresh()
            indexes = doc.getDocumentIndexes()
            for _ in range(2):
                for i in range(indexes.getCount()):
                    indexes.getByIndex(i).update()
                doc.refresh()
            doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(dst)), (prop("FilterName", "writer_pdf_Export"),))
        finally:
            doc.close(True)
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001 - the bridge closes as soffice exits
            pass
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            pass
        return 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
