"""Fill a report form in LibreOffice as a clerk would, then save it as .xlsx: each text is typed
into its cell (LibreOffice's own input: 50% becomes a percent, 2019年6月24日 a date), rows are
deleted and columns widened with the sheet's protection lifted, as a clerk who knows the menu
does. Run by tests/unit/test_forms.py with a python3 that has LibreOffice's uno module:

    python3 tests/libreoffice_fill.py FORM.xlsx OUT.xlsx '{"cells": {"G5": "５０"}, "delete_rows": [7], "widen": ["J"]}'
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main():
    source, target, spec = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    soffice = os.environ.get("SOFFICE", "/usr/lib/libreoffice/program/soffice")
    work = tempfile.mkdtemp(prefix="duban-lo-")
    pipe = f"duban{os.getpid()}"
    office = subprocess.Popen([soffice, f"-env:UserInstallation=file://{work}/profile", "--headless", "--invisible",
                               "--norestore", "--nologo", f"--accept=pipe,name={pipe};urp;"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(120):
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.5)
        else:
            raise SystemExit("LibreOffice did not start")
        desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        dispatcher = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)
        document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(source)), "_blank", 0,
                                                (prop("Hidden", True),))
        frame = document.getCurrentController().getFrame()
        sheet = document.getSheets().getByName(spec.get("sheet", "报送表"))
        document.getCurrentController().setActiveSheet(sheet)
        for address, text in spec.get("cells", {}).items():
            # typed: go to the cell and enter the text as the keyboard would (number and date recognition)
            dispatcher.executeDispatch(frame, ".uno:GoToCell", "", 0, (prop("ToPoint", address),))
            dispatcher.executeDispatch(frame, ".uno:EnterString", "", 0, (prop("StringName", text),))
        if spec.get("delete_rows") or spec.get("widen"):
            sheet.unprotect("")
            for row in sorted(spec.get("delete_rows", []), reverse=True):
                sheet.getRows().removeByIndex(row - 1, 1)
            for letter in spec.get("widen", []):
                column = sheet.getColumns().getByName(letter)
                column.Width = column.Width * 2
            sheet.protect("")
        document.storeToURL(uno.systemPathToFileUrl(os.path.abspath(target)),
                            (prop("FilterName", "Calc MS Excel 2007 XML"),))
        document.close(True)
        try:
            desktop.terminate()
        except Exception:
            pass
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()
            office.wait()


if __name__ == "__main__":
    main()
